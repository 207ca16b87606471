package dev.rollout.plan;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them: {@code 30s}, {@code 5m}, {@code 24h}, {@code 2w}, {@code 1h30m}, or ISO-8601. */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");
  private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h|d|w))+");

  private Durations() {}

  public static Duration parse(String text) {
    String t = text.trim();
    if (t.startsWith("P") || t.startsWith("p") || t.startsWith("-P")) {
      return Duration.parse(t.toUpperCase());
    }
    if (!WHOLE.matcher(t).matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration (e.g. 30s, 5m, 24h, 2w, 1h30m or ISO-8601 PT24H)");
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(t);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
              });
    }
    return total;
  }

  /** The human form, largest units first: {@code 2w}, {@code 1d12h}, {@code 1h30m}, {@code 500ms}. */
  public static String format(Duration d) {
    if (d.isZero()) return "0s";
    StringBuilder s = new StringBuilder();
    long ms = d.toMillis();
    long[] sizes = {7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1};
    String[] names = {"w", "d", "h", "m", "s", "ms"};
    for (int i = 0; i < sizes.length; i++) {
      if (ms >= sizes[i]) {
        s.append(ms / sizes[i]).append(names[i]);
        ms %= sizes[i];
      }
    }
    return s.toString();
  }
}
