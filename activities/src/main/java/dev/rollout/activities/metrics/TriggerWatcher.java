package dev.rollout.activities.metrics;

import dev.rollout.activities.MetricActivities.BoundGate;
import dev.rollout.activities.MetricActivities.GateResult;
import dev.rollout.activities.MetricActivities.Verdict;
import dev.rollout.activities.MetricActivities.WatchResult;
import dev.rollout.activities.gates.GateResults;
import dev.rollout.activities.metrics.GateChecker.ReadKey;
import dev.rollout.activities.metrics.GateChecker.Reading;
import dev.rollout.plan.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One watch of one rollout's rollback triggers: what each trigger last showed, its read errors in a
 * row, how many checks were made and when the watch ends. It does no waiting itself: the {@link
 * WatchScheduler} hands it each reading of a trigger's metric, at the trigger's interval.
 *
 * <p>A trigger fires with FAIL (roll back) when its condition holds, or INCONCLUSIVE (hold for a
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

  /** What a heartbeat carries, so a retried watch resumes its window and its count. */
  public record WatchProgress(Instant startedAt, int checks, List<GateResult> last) {}

  /** What a trigger needs read, or why it cannot be read at all (then {@code key} is null). */
  record Need(ReadKey key, Duration interval, MetricQueryException unreadable) {}

  private final GateChecker checker;
  private final List<BoundGate> triggers;
  private final Instant startedAt;
  private final Instant deadline;
  private final List<Need> needs = new ArrayList<>();
  private final int[] errors;
  private final GateResult[] last;
  private int checks;
  private GateResult fired;

  /**
   * @param startedAt when this watch first started (a retry passes its first attempt's)
   * @param checksBefore checks its earlier attempts made
   */
  public TriggerWatcher(
      GateChecker checker, Target target, List<BoundGate> triggers, Instant startedAt, Duration watchFor, int checksBefore) {
    this.checker = checker;
    this.triggers = List.copyOf(triggers);
    this.startedAt = startedAt;
    Duration margin = watchFor.dividedBy(10).compareTo(END_MARGIN) < 0 ? watchFor.dividedBy(10) : END_MARGIN;
    this.deadline = startedAt.plus(watchFor).minus(margin);
    this.errors = new int[triggers.size()];
    this.last = new GateResult[triggers.size()];
    this.checks = checksBefore;
    for (BoundGate trigger : this.triggers) {
      try {
        needs.add(new Need(checker.keyOf(trigger, target), trigger.gate().interval(), null));
      } catch (MetricQueryException e) {
        needs.add(new Need(null, trigger.gate().interval(), e));
      }
    }
  }

  /** What each trigger needs read, in the order of the triggers. */
  List<Need> needs() {
    return needs;
  }

  /** When the watch ends with nothing fired. */
  public Instant deadline() {
    return deadline;
  }

  /**
   * Trigger {@code i}'s metric was read ({@code reading}) or could not be ({@code error}); returns
   * the trigger's result when this makes it fire, else null. After one has fired, ignores the rest.
   */
  public synchronized GateResult seen(int i, Reading reading, MetricQueryException error, Instant at) {
    if (fired != null) return null;
    BoundGate trigger = triggers.get(i);
    GateResult result;
    try {
      if (error != null) throw error;
      result = GateResults.trigger(trigger.gate(), checker.judge(trigger, reading), at);
      errors[i] = 0;
    } catch (MetricQueryException e) {
      errors[i] = e.badQuery() ? ERROR_LIMIT : errors[i] + 1;
      String why = e.badQuery() ? e.getMessage()
          : e.getMessage() + " (" + errors[i] + " failed reads in a row; fires after " + ERROR_LIMIT + ")";
      result = GateResults.error(trigger.gate(), why, at);
    }
    last[i] = result;
    checks++;
    if (!fires(result, errors[i])) return null;
    fired = result;
    return result;
  }

  public synchronized WatchProgress progress() {
    return new WatchProgress(startedAt, checks, seen());
  }

  /** The watch's answer: the trigger that fired (or null), every trigger's last result, the checks. */
  public synchronized WatchResult result() {
    return new WatchResult(fired, seen(), checks);
  }

  private static boolean fires(GateResult result, int errors) {
    if (result.verdict() == Verdict.FAIL) return true;
    if (result.verdict() != Verdict.INCONCLUSIVE) return false;
    // INCONCLUSIVE is either onNoData: hold (no read error counted) or a read error at its limit.
    return errors == 0 || errors >= ERROR_LIMIT;
  }

  private List<GateResult> seen() {
    List<GateResult> seen = new ArrayList<>();
    for (GateResult r : last) if (r != null) seen.add(r);
    return seen;
  }
}
