package dev.rollout.workflow;

import dev.rollout.plan.Freeze;
import dev.rollout.plan.Window;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * When a phase may start: the next opening of its window (in the window's zone, else the plan's)
 * that is not inside a freeze. Pure functions of workflow time, so replay computes the same.
 */
public final class DeploymentWindows {
  /** Enough to step over any realistic chain of freezes; a plan that needs more is broken. */
  private static final int MAX_HOPS = 1000;

  private DeploymentWindows() {}

  /** The earliest instant at or after {@code now} inside the window and outside every freeze. */
  public static Instant nextStart(Instant now, Window window, String planZone, List<Freeze> freezes) {
    Instant candidate = now;
    for (int hop = 0; hop < MAX_HOPS; hop++) {
      Instant open = window == null ? candidate : nextOpening(candidate, window, planZone);
      Freeze freeze = freezeAt(open, freezes);
      if (freeze == null) return open;
      candidate = freeze.to();
    }
    throw new IllegalStateException("no window opening outside the freezes within " + MAX_HOPS + " tries");
  }

  /** The freeze covering {@code at}, or null. */
  public static Freeze freezeAt(Instant at, List<Freeze> freezes) {
    for (Freeze f : freezes) {
      if (!at.isBefore(f.from()) && at.isBefore(f.to())) return f;
    }
    return null;
  }

  /** Now when inside the window; else its next opening. A window may run past midnight. */
  static Instant nextOpening(Instant now, Window w, String planZone) {
    ZoneId zone = ZoneId.of(w.timeZone() != null ? w.timeZone() : planZone);
    LocalDate today = now.atZone(zone).toLocalDate();
    boolean overnight = !w.end().isAfter(w.start());
    for (LocalDate day = today.minusDays(1); day.isBefore(today.plusDays(9)); day = day.plusDays(1)) {
      if (!w.days().isEmpty() && !w.days().contains(day.getDayOfWeek())) continue;
      ZonedDateTime open = day.atTime(w.start()).atZone(zone);
      ZonedDateTime close = (overnight ? day.plusDays(1) : day).atTime(w.end()).atZone(zone);
      if (now.isBefore(close.toInstant())) {
        return now.isBefore(open.toInstant()) ? open.toInstant() : now;
      }
    }
    throw new IllegalArgumentException("window " + w + " never opens");
  }
}
