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
 */
public record Gate(
    String name,
    String metric,
    Comparison op,
    Quantity threshold,
    @JsonProperty("for") Duration sustain,
    Baseline relativeTo,
    Duration interval,
    NoDataAction onNoData) {

  public Gate {
    interval = interval == null ? Duration.ofMinutes(1) : interval;
    onNoData = onNoData == null ? NoDataAction.FAIL : onNoData;
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
