package dev.rollout.workflow;

import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;

/**
 * Tells a trigger watch that failed because its worker went away from one that failed for what
 * it watches. A watch never fails for its metrics: a read that fails becomes an INCONCLUSIVE
 * result and the trigger's {@code onNoData} applies. So a watch that timed out (no heartbeat, or
 * not done by its start-to-close) or was stopped by a worker shutting down says nothing about the
 * release: the worker was killed, restarted or starved. Counting that as "could not watch" rolled
 * back healthy rollouts whenever a worker died three times within one bake chunk.
 *
 * <p>Such a watch is re-armed, at most {@link #LIMIT} times in a row (a watch that returns resets
 * the count): one that is lost every time, a watch that crashes its worker for instance, still
 * ends in a rollback, after hours in production (each lost watch took its three attempts, each
 * waiting out a heartbeat timeout), not in an endless loop.
 */
final class LostWatch {
  /** Version 1 re-arms a watch whose worker went away instead of rolling back at once. */
  static final String REARM_LOST_WATCH = "rearm-lost-watch";
  /** Lost watches in a row before the rollout stops trusting it can be watched. */
  static final int LIMIT = 10;
  /** The failure type the SDK reports for an activity stopped by its worker shutting down. */
  private static final String WORKER_SHUTDOWN = "ActivityWorkerShutdownException";

  private int inARow;

  private LostWatch() {}

  static LostWatch none() {
    return new LostWatch();
  }

  /** Why the watch's worker went away (for the log), or null when it failed for another reason. */
  static String workerGone(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TimeoutFailure timeout) {
        TimeoutType type = timeout.getTimeoutType();
        if (type == TimeoutType.TIMEOUT_TYPE_HEARTBEAT) return "no heartbeat: its worker went away";
        if (type == TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE) return "not done in time: its worker went away";
        if (type == TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START) return "no worker picked it up";
      }
      if (t instanceof ApplicationFailure app && app.getType() != null && app.getType().endsWith(WORKER_SHUTDOWN)) {
        return "its worker shut down";
      }
      if (t.getCause() == t) break;
    }
    return null;
  }

  /** A watch returned: whatever it saw, watching works. */
  void returned() {
    inARow = 0;
  }

  /**
   * A watch failed with {@code failure}: the text to log when it is re-armed, or null when the
   * failure is a verdict (not a lost worker, the limit reached, or a rollout from before {@link
   * #REARM_LOST_WATCH}).
   */
  String rearm(Throwable failure) {
    String why = workerGone(failure);
    if (why == null) return null;
    if (!Changes.since(REARM_LOST_WATCH)) {
      return null;
    }
    if (++inARow >= LIMIT) return null;
    return "trigger watch lost (" + why + "); watching again (" + inARow + " lost in a row, at most " + (LIMIT - 1)
        + " re-armed)";
  }

  int inARow() {
    return inARow;
  }
}
