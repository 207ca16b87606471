package dev.rollout.rehearsal;

import java.util.Locale;

/** How recorded arguments read. */
final class RehearsalFormat {
  private RehearsalFormat() {}

  static String percent(double p) {
    return p == Math.rint(p) ? (long) p + "%" : String.format(Locale.ROOT, "%.2f%%", p);
  }
}
