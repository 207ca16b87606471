package dev.rollout.demo;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * The requests one version served over the last {@code windowMillis}: what the router's gauges
 * report, so a gate reads the recent error rate and latency rather than totals since start.
 */
final class RecentRequests {

  private record Sample(long atMillis, double latencyMillis, boolean error) {}

  private final Deque<Sample> samples = new ArrayDeque<>();
  private final long windowMillis;
  private final LongSupplier clock;

  RecentRequests(long windowMillis, LongSupplier clock) {
    this.windowMillis = windowMillis;
    this.clock = clock;
  }

  synchronized void add(double latencyMillis, boolean error) {
    samples.addLast(new Sample(clock.getAsLong(), latencyMillis, error));
    prune();
  }

  /** Percentage of recent requests that failed; NaN when there were none (no data). */
  synchronized double errorRatePercent() {
    prune();
    if (samples.isEmpty()) return Double.NaN;
    long errors = samples.stream().filter(Sample::error).count();
    return 100.0 * errors / samples.size();
  }

  /** The 95th percentile latency of recent requests in milliseconds; NaN when there were none. */
  synchronized double p95LatencyMillis() {
    prune();
    if (samples.isEmpty()) return Double.NaN;
    double[] sorted = samples.stream().mapToDouble(Sample::latencyMillis).sorted().toArray();
    int index = (int) Math.ceil(0.95 * sorted.length) - 1;
    return sorted[Math.max(0, index)];
  }

  synchronized int count() {
    prune();
    return samples.size();
  }

  private void prune() {
    long oldest = clock.getAsLong() - windowMillis;
    while (!samples.isEmpty() && samples.peekFirst().atMillis() < oldest) samples.removeFirst();
  }
}
