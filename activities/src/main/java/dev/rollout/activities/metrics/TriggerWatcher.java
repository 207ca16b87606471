package dev.rollout.activities.metrics;

import dev.rollout.activities.MetricActivities.BoundGate;
import dev.rollout.activities.MetricActivities.GateResult;
import dev.rollout.activities.MetricActivities.Verdict;
import dev.rollout.activities.MetricActivities.WatchResult;
import dev.rollout.plan.Target;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks rollback triggers, each at its own interval, until one fires or the watch is over. A
 * trigger fires with FAIL (roll back) when its condition holds, or INCONCLUSIVE (hold for a
 * decision) when its metric cannot be read: at once for a bad query, after {@value #ERROR_LIMIT}
 * failed reads in a row for a source that does not answer, so one blip does not stop a rollout.
 */
public final class TriggerWatcher {
  static final int ERROR_LIMIT = 4;
  /**
   * A watch ends this much before its window (a tenth of it when shorter), so the workflow sees it
   * finish before the bake timer that runs beside it: cancelling an activity in the same moment it
   * completes is refused by the server (ACTIVITY_UNKNOWN) and stalled the test server's workflow.
   */
  static final Duration END_MARGIN = Duration.ofSeconds(1);
  /** Report progress at least this often, however long the intervals: it is also the heartbeat. */
  static final Duration MAX_NAP = Duration.ofSeconds(1);

  /** Where progress goes each loop; throws to stop the watch (the activity was cancelled). */
  @FunctionalInterface
  public interface Progress {
    void report(WatchProgress progress);
  }

  /** How to wait; tests may pass a faster one. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /** What a heartbeat carries, so a retried watch resumes its window and its count. */
  public record WatchProgress(Instant startedAt, int checks, List<GateResult> last) {}

  private final GateChecker checker;
  private final Clock clock;
  private final Sleeper sleeper;

  public TriggerWatcher(GateChecker checker, Clock clock, Sleeper sleeper) {
    this.checker = checker;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /**
   * @param startedAt when this watch first started (a retry passes its first attempt's)
   * @param checksBefore checks its earlier attempts made
   * @throws InterruptedException when the worker shuts down; a cancellation throws from {@code progress}
   */
  public WatchResult watch(
      Target target, List<BoundGate> triggers, Instant startedAt, Duration watchFor, int checksBefore, Progress progress)
      throws InterruptedException {
    Duration margin = watchFor.dividedBy(10).compareTo(END_MARGIN) < 0 ? watchFor.dividedBy(10) : END_MARGIN;
    Instant deadline = startedAt.plus(watchFor).minus(margin);
    Instant[] due = new Instant[triggers.size()];
    int[] errors = new int[triggers.size()];
    GateResult[] last = new GateResult[triggers.size()];
    int checks = checksBefore;
    while (true) {
      for (int i = 0; i < triggers.size(); i++) {
        Instant now = clock.instant();
        if (due[i] != null && due[i].isAfter(now)) continue;
        BoundGate trigger = triggers.get(i);
        due[i] = now.plus(trigger.gate().interval());
        last[i] = check(trigger, target, errors, i);
        checks++;
        if (fired(last[i], errors[i])) {
          progress.report(new WatchProgress(startedAt, checks, seen(last)));
          return new WatchResult(last[i], seen(last), checks);
        }
      }
      progress.report(new WatchProgress(startedAt, checks, seen(last)));
      Instant now = clock.instant();
      if (!now.isBefore(deadline)) return new WatchResult(null, seen(last), checks);
      Instant next = deadline;
      for (Instant d : due) if (d.isBefore(next)) next = d;
      Duration nap = Duration.between(now, next);
      if (nap.compareTo(MAX_NAP) > 0) nap = MAX_NAP;
      if (!nap.isNegative() && !nap.isZero()) sleeper.sleep(nap);
    }
  }

  private GateResult check(BoundGate trigger, Target target, int[] errors, int i) {
    Instant at = clock.instant();
    try {
      GateResult result = GateResults.trigger(trigger.gate(), checker.check(trigger, target), at);
      errors[i] = 0;
      return result;
    } catch (MetricQueryException e) {
      errors[i] = e.badQuery() ? ERROR_LIMIT : errors[i] + 1;
      String why = e.badQuery() ? e.getMessage()
          : e.getMessage() + " (" + errors[i] + " failed reads in a row; fires after " + ERROR_LIMIT + ")";
      return GateResults.error(trigger.gate(), why, at);
    }
  }

  private static boolean fired(GateResult result, int errors) {
    if (result.verdict() == Verdict.FAIL) return true;
    if (result.verdict() != Verdict.INCONCLUSIVE) return false;
    // INCONCLUSIVE is either onNoData: hold (no read error counted) or a read error at its limit.
    return errors == 0 || errors >= ERROR_LIMIT;
  }

  private static List<GateResult> seen(GateResult[] last) {
    List<GateResult> seen = new ArrayList<>();
    for (GateResult r : last) if (r != null) seen.add(r);
    return seen;
  }
}
