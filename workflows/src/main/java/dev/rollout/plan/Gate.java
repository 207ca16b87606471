package dev.rollout.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * A metric check. As an acceptance gate it must hold to advance; as a rollback trigger it fires
 * (and rolls back) when its condition is true.
 *
 * <p>Examples from the seeds: {@code p95_latency < 200ms}; {@code error_rate > 1% for 3m};
 * {@code p99_latency > 20% relativeTo baseline} (P99 +20 % against the value captured when the
 * phase started).
 *
 * @param metric the name of a metric declared in the plan's {@code metrics}
 * @param op the comparison, value on the left: {@code <, <=, >, >=}
 * @param threshold with its unit: {@code 200ms}, {@code 1%}, {@code 120MB}, {@code 0.7}
 * @param sustain ("for" in plan files) the condition must hold at every sample over this long
 * @param relativeTo {@code baseline}: the threshold is a change against the value captured before
 *     the first change; {@code stable}: against the stable track's value read at the same moment
 * @param interval how often to check
 * @param onNoData what an empty query result means
 * @param action triggers only: what firing does, {@code notify}, {@code hold} or {@code rollback}
 *     (the default)
 * @param remindEvery triggers with {@code action: notify} only: how often people are reminded
 *     while the trigger still holds; default {@link #DEFAULT_REMIND_EVERY}
 * @param notifier triggers with {@code action: notify} or {@code hold} only: the declared notifier
 *     told; default the plan's {@code notifications.notifier}
 */
public record Gate(
    String name,
    String metric,
    Comparison op,
    Quantity threshold,
    @JsonProperty("for") Duration sustain,
    Baseline relativeTo,
    Duration interval,
    NoDataAction onNoData,
    TriggerAction action,
    Duration remindEvery,
    String notifier) {

  /** A warning-tier trigger that still holds reminds people this often (chosen by us). */
  public static final Duration DEFAULT_REMIND_EVERY = Duration.ofHours(1);

  public Gate {
    interval = interval == null ? Duration.ofMinutes(1) : interval;
    onNoData = onNoData == null ? NoDataAction.FAIL : onNoData;
  }

  /** A gate or a trigger that rolls back, as written before triggers had tiers. */
  public Gate(
      String name, String metric, Comparison op, Quantity threshold, Duration sustain, Baseline relativeTo,
      Duration interval, NoDataAction onNoData) {
    this(name, metric, op, threshold, sustain, relativeTo, interval, onNoData, null, null, null);
  }

  /** What this gate does when it fires as a trigger. */
  public TriggerAction firingAction() {
    return action == null ? TriggerAction.ROLLBACK : action;
  }

  /** How often a warning-tier trigger that still holds reminds people. */
  public Duration reminderInterval() {
    return remindEvery == null ? DEFAULT_REMIND_EVERY : remindEvery;
  }

  /** How the gate reads in status and logs: {@code error_rate > 1% for 3m}. */
  public String describe() {
    StringBuilder s = new StringBuilder(metric).append(' ').append(op.symbol()).append(' ');
    s.append(threshold);
    if (relativeTo != null) s.append(" vs ").append(relativeTo.name().toLowerCase());
    if (sustain != null) s.append(" for ").append(Durations.format(sustain));
    return s.toString();
  }
}
