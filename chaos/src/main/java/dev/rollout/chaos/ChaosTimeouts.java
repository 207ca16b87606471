package dev.rollout.chaos;

import io.temporal.activity.ActivityOptions;
import io.temporal.worker.WorkflowImplementationOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The chaos worker's one departure from production settings: shorter activity timeouts, set on
 * the worker (per activity type, merged over the workflow's own options), so a step that was
 * running in a killed worker is retried within seconds instead of after its 30-minute
 * start-to-close or 2-minute heartbeat timeout. Retry budgets (the trigger watch's 3 attempts
 * included) and everything else stay the workflow's own.
 */
public final class ChaosTimeouts {

  /**
   * Plenty for a local step (a pg_dump of a tiny database takes well under a second), with room
   * for a machine under load: a timed-out attempt still running when its retry starts would race it.
   */
  public static final Duration STEP = Duration.ofSeconds(20);
  /** A trigger watch heartbeats at least every second. */
  public static final Duration HEARTBEAT = Duration.ofSeconds(3);

  /** Activities that do their work in one call, without heartbeating. */
  private static final List<String> ONE_SHOT =
      List.of(
          "Backup", "Migrate", "Restore", "ReleaseBackup", "CurrentWeight", "SetWeight", "ReadFlags", "SetFlags",
          "Baseline", "Evaluate", "Judge", "Notify");

  private ChaosTimeouts() {}

  public static WorkflowImplementationOptions workflowOptions() {
    Map<String, ActivityOptions> byType = new HashMap<>();
    ActivityOptions oneShot = ActivityOptions.newBuilder().setStartToCloseTimeout(STEP).build();
    ONE_SHOT.forEach(type -> byType.put(type, oneShot));
    // A watch's heartbeat timeout is shortened as the steps' timeouts are, so a watch lost with a
    // killed worker is noticed in seconds; its retries (3 attempts) are the workflow's own: a watch
    // lost with its worker is re-armed by the workflow itself (LostWatch), however often it dies.
    byType.put("Watch", ActivityOptions.newBuilder().setHeartbeatTimeout(HEARTBEAT).build());
    return WorkflowImplementationOptions.newBuilder().setActivityOptions(byType).build();
  }
}
