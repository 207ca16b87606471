package dev.rollout.chaos;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.worker.WorkflowImplementationOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The chaos worker's one departure from production settings: shorter activity timeouts, set on
 * the worker (per activity type, merged over the workflow's own options), so a step that was
 * running in a killed worker is retried within seconds instead of after its 30-minute
 * start-to-close or 2-minute heartbeat timeout; and more attempts for a trigger watch (below).
 * The steps' retry budgets and everything else stay the workflow's own.
 */
public final class ChaosTimeouts {

  /**
   * Plenty for a local step (a pg_dump of a tiny database takes well under a second), with room
   * for a machine under load: a timed-out attempt still running when its retry starts would race it.
   */
  public static final Duration STEP = Duration.ofSeconds(20);
  /** A trigger watch heartbeats at least every second. */
  public static final Duration HEARTBEAT = Duration.ofSeconds(3);
  /** Attempts of a watch: more than the kills one bake of seconds can see. */
  public static final int WATCH_ATTEMPTS = 30;

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
    // The second departure: a watch's attempt dies with every kill (a kill every few seconds), so
    // the workflow's 3 watch attempts were used up within one bake by kills alone, and an unbroken
    // rollout rolled back as "could not watch"; here a watch has as many attempts as it takes.
    byType.put("Watch", ActivityOptions.newBuilder().setHeartbeatTimeout(HEARTBEAT)
        .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1))
            .setMaximumInterval(Duration.ofSeconds(2)).setMaximumAttempts(WATCH_ATTEMPTS).build()).build());
    return WorkflowImplementationOptions.newBuilder().setActivityOptions(byType).build();
  }
}
