package dev.rollout.workflow;

import dev.rollout.plan.Freeze;
import dev.rollout.plan.Window;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneRules;
import java.util.List;

/**
 * When a phase may start: the next opening of its window (in the window's zone, else the plan's)
 * that is not inside a freeze. Pure functions of workflow time, so replay computes the same.
 */
public final class DeploymentWindows {
  /** Enough to step over any realistic chain of freezes; a plan that needs more is broken. */
  private static final int MAX_HOPS = 1000;
  /**
   * A window's next opening is looked for from yesterday up to (not including) this many days after
   * today: over two weeks, so a weekly window whose next opening the skipped hour of a DST change
   * swallows (SUN 02:00-03:00 Europe/Berlin in the week before the switch) opens the week after.
   */
  public static final int DAYS_AHEAD = 16;
  /**
   * The days looked ahead before {@code window-weeks-ahead}: in the week before such a swallowed
   * opening nothing was found, and the rollout rolled back ("never opens"). Kept for those runs.
   */
  public static final int DAYS_AHEAD_BEFORE_WEEKS = 9;

  private DeploymentWindows() {}

  /**
   * How a window's wall-clock edges become instants on the days clocks change. The workflow picks
   * one per run (see {@code PhaseRunner#dst}): a rollout keeps the rule it started with.
   */
  public enum Dst {
    /**
     * Before {@code window-dst-at-jump}: {@code LocalDateTime.atZone}, which moves a time in the
     * skipped hour on by the gap (02:30 becomes 03:30 PDT), so a window 02:30-03:15 opened after
     * it closed. Kept only so rollouts that started with it replay as they ran.
     */
    SHIFTED_BY_GAP,
    /** A skipped time is the moment of the jump; a repeated one its first occurrence; a swallowed window does not open. */
    AT_JUMP
  }

  /** {@link #nextStart(Instant, Window, String, List, Dst)} with today's rule, {@link Dst#AT_JUMP}. */
  public static Instant nextStart(Instant now, Window window, String planZone, List<Freeze> freezes) {
    return nextStart(now, window, planZone, freezes, Dst.AT_JUMP);
  }

  /** The earliest instant at or after {@code now} inside the window and outside every freeze. */
  public static Instant nextStart(Instant now, Window window, String planZone, List<Freeze> freezes, Dst dst) {
    Instant start = nextStartWithin(now, window, planZone, freezes, dst, DAYS_AHEAD);
    if (start == null) throw neverOpens(window);
    return start;
  }

  /**
   * {@link #nextStart(Instant, Window, String, List, Dst)} looking for each opening from yesterday up
   * to {@code daysAhead} days after today; null when one is not found within them. Looking further
   * finds the same instant whenever a shorter look finds one.
   */
  public static Instant nextStartWithin(Instant now, Window window, String planZone, List<Freeze> freezes, Dst dst, int daysAhead) {
    Instant candidate = now;
    for (int hop = 0; hop < MAX_HOPS; hop++) {
      Instant open = window == null ? candidate : nextOpening(candidate, window, planZone, dst, daysAhead);
      if (open == null) return null;
      Freeze freeze = freezeAt(open, freezes);
      if (freeze == null) return open;
      candidate = freeze.to();
    }
    throw new IllegalStateException("no window opening outside the freezes within " + MAX_HOPS + " tries");
  }

  /** What a window without an opening within the days looked at fails with (the rollout rolls back). */
  public static IllegalArgumentException neverOpens(Window w) {
    return new IllegalArgumentException("window " + w + " never opens");
  }

  /** The freeze covering {@code at}, or null. */
  public static Freeze freezeAt(Instant at, List<Freeze> freezes) {
    for (Freeze f : freezes) {
      if (!at.isBefore(f.from()) && at.isBefore(f.to())) return f;
    }
    return null;
  }

  /** True when a step may change something at {@code at}: inside the window, outside every freeze. */
  public static boolean open(Instant at, Window window, String planZone, List<Freeze> freezes) {
    return open(at, window, planZone, freezes, Dst.AT_JUMP);
  }

  /** {@link #open(Instant, Window, String, List)} under the given DST rule. */
  public static boolean open(Instant at, Window window, String planZone, List<Freeze> freezes, Dst dst) {
    return nextStart(at, window, planZone, freezes, dst).equals(at);
  }

  /**
   * A wall-clock time on a day as an instant: one skipped by a DST change (02:30 when clocks jump
   * 02:00 → 03:00) is the moment of the jump; one that happens twice is its first occurrence.
   */
  static Instant instant(LocalDateTime local, ZoneId zone) {
    ZoneRules rules = zone.getRules();
    if (rules.getValidOffsets(local).isEmpty()) return rules.getTransition(local).getInstant();
    return local.atZone(zone).withEarlierOffsetAtOverlap().toInstant();
  }

  /**
   * Now when inside the window; else its next opening, looked for from yesterday up to {@code
   * daysAhead} days after today (null when none). A window may run past midnight.
   */
  static Instant nextOpening(Instant now, Window w, String planZone, Dst dst, int daysAhead) {
    ZoneId zone = ZoneId.of(w.timeZone() != null ? w.timeZone() : planZone);
    LocalDate today = now.atZone(zone).toLocalDate();
    boolean overnight = !w.end().isAfter(w.start());
    for (LocalDate day = today.minusDays(1); day.isBefore(today.plusDays(daysAhead)); day = day.plusDays(1)) {
      if (!w.days().isEmpty() && !w.days().contains(day.getDayOfWeek())) continue;
      if (dst == Dst.SHIFTED_BY_GAP) {
        // Exactly the computation before the fix (no skip of a swallowed window): replays as it ran.
        ZonedDateTime open = day.atTime(w.start()).atZone(zone);
        ZonedDateTime close = (overnight ? day.plusDays(1) : day).atTime(w.end()).atZone(zone);
        if (now.isBefore(close.toInstant())) return now.isBefore(open.toInstant()) ? open.toInstant() : now;
        continue;
      }
      Instant open = instant(day.atTime(w.start()), zone);
      Instant close = instant((overnight ? day.plusDays(1) : day).atTime(w.end()), zone);
      if (!open.isBefore(close)) continue; // the skipped hour of a DST change swallowed it
      if (now.isBefore(close)) {
        return now.isBefore(open) ? open : now;
      }
    }
    return null;
  }
}
