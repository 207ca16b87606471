package dev.rollout.activities.traffic;

import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Keeps one rollout run's writes to one router in the order the workflow asked for them.
 *
 * <p>Why: an abort cancels a running traffic step without waiting for it (an abort must not wait
 * for a slow step), and the rollback sets the weight back to stable at once. A step attempt that
 * reaches the router after that undo (picked up late, or slow before its write) would put its own
 * weight back on top of stable, and the rollout would end "rolled back" with canary traffic. Here
 * the writes of one run to one router run one at a time, and a write the workflow scheduled
 * before one that already applied is refused: the later intent wins. A retry keeps its first
 * attempt's scheduling time, so it is refused too. One worker process only: two workers writing
 * to one router are not ordered (the routers in {@code traffic/*} each act on one host's file or
 * one API).
 */
final class WriteOrder {
  /** The error type of a write refused because a later one of the same run already applied. */
  static final String SUPERSEDED = "SupersededWrite";

  private static final int MAX_TRACKED = 50_000;
  private static final int STRIPES = 64;

  private record Key(String run, String router) {}

  /** When the workflow scheduled the last write applied, per run and router; the oldest forgotten. */
  private final Map<Key, Long> applied = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, Long> eldest) {
      return size() > MAX_TRACKED;
    }
  };

  private final Object[] stripes = new Object[STRIPES];

  WriteOrder() {
    for (int i = 0; i < STRIPES; i++) stripes[i] = new Object();
  }

  /**
   * Runs {@code write} unless a write of the same {@code run} to the same {@code router} scheduled
   * after {@code scheduledAt} (epoch millis) already applied; then a non-retryable failure.
   */
  <T> T write(String run, String router, long scheduledAt, Callable<T> write) throws Exception {
    Key key = new Key(run, router);
    synchronized (stripes[Math.floorMod(key.hashCode(), STRIPES)]) {
      Long last;
      synchronized (applied) {
        last = applied.get(key);
      }
      if (last != null && scheduledAt < last) {
        throw ApplicationFailure.newNonRetryableFailure("router '" + router + "' was not changed: a later change of this rollout,"
            + " asked at " + Instant.ofEpochMilli(last) + ", already applied; this one was asked at " + Instant.ofEpochMilli(scheduledAt)
            + " (a step cancelled by an abort or a rollback reaching the router after its undo)", SUPERSEDED);
      }
      T result = write.call();
      synchronized (applied) {
        applied.merge(key, scheduledAt, Math::max);
      }
      return result;
    }
  }
}
