package dev.rollout.activities.support;

import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one rollout run's writes to one thing (a router, a flag store, a workload) in the order
 * the workflow asked for them.
 *
 * <p>Why: an abort cancels a running step without waiting for it (an abort must not wait for a
 * slow step), and the rollback undoes at once. A step attempt that reaches the router, the flag
 * store or the Deployment after that undo (picked up late, or slow before its write) would put its
 * change back on top of the known-good state, under a rollout that says it rolled back. Here the
 * writes of one run to one thing run one at a time, and a write the workflow scheduled before one
 * that already applied is refused: the later intent wins. The workflow runs its steps and undos
 * one after another, so a write asked earlier that arrives later is always one it gave up on. A
 * retry keeps its first attempt's scheduling time. One worker process only: two workers writing to
 * one thing are not ordered against each other.
 */
public final class WriteOrder {
  private static final Logger log = LoggerFactory.getLogger(WriteOrder.class);
  /** The error type of a write refused because a later one of the same run already applied. */
  public static final String SUPERSEDED = "SupersededWrite";

  private static final int MAX_TRACKED = 50_000;
  private static final int STRIPES = 64;

  private record Key(String run, String what) {}

  /** When the workflow scheduled the last write applied, per run and router; the oldest forgotten. */
  private final Map<Key, Long> applied = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, Long> eldest) {
      return size() > MAX_TRACKED;
    }
  };

  private final Object[] stripes = new Object[STRIPES];

  public WriteOrder() {
    for (int i = 0; i < STRIPES; i++) stripes[i] = new Object();
  }

  /**
   * Runs {@code write} now, or, inside an activity, once no other write of this run to {@code what}
   * runs, unless one the workflow asked for later already applied (then a non-retryable failure).
   *
   * @param what the thing written, as people name it ("router 'web'")
   */
  public <T> T write(String what, Callable<T> write) throws Exception {
    var asked = Heartbeat.current().info();
    if (asked.isEmpty()) return write.call();
    return write(asked.get().getRunId(), what, asked.get().getScheduledTimestamp(), write);
  }

  /** {@link #write(String, Callable)} for a run and the moment its workflow asked (epoch millis). */
  <T> T write(String run, String what, long scheduledAt, Callable<T> write) throws Exception {
    Key key = new Key(run, what);
    synchronized (stripes[Math.floorMod(key.hashCode(), STRIPES)]) {
      Long last;
      synchronized (applied) {
        last = applied.get(key);
      }
      if (last != null && scheduledAt < last) {
        ApplicationFailure refused = ApplicationFailure.newNonRetryableFailure(what + " was not changed: a later change of this rollout,"
            + " asked at " + Instant.ofEpochMilli(last) + ", already applied; this one was asked at " + Instant.ofEpochMilli(scheduledAt)
            + " (a step cancelled by an abort, reaching it after its undo)", SUPERSEDED);
        log.warn("run {}: {}", run, refused.getOriginalMessage());
        throw refused;
      }
      T result = write.call();
      synchronized (applied) {
        applied.merge(key, scheduledAt, Math::max);
      }
      return result;
    }
  }
}
