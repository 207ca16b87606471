package dev.rollout.workflow;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.Priority;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Activity stubs with the options each kind of call needs. A stub is cheap, so every call gets its
 * own with a summary the Web UI shows ("set traffic on main-lb to 25%").
 */
final class ActivityStubs {

  /** A step that fails three times rolls back: long enough for a blip, short enough for people. */
  static final RetryOptions STEP_RETRIES =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2)
          .setMaximumInterval(Duration.ofSeconds(30))
          .setMaximumAttempts(3)
          .build();

  /** Undoing matters more than doing: compensations try harder before the rollout gives up. */
  static final RetryOptions UNDO_RETRIES =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2)
          .setMaximumInterval(Duration.ofMinutes(1))
          .setMaximumAttempts(6)
          .build();

  /**
   * Rollouts since {@value Changes#STEP_POLICY}: a transient error gets minutes, not seconds
   * (1 s doubling to 30 s, 12 tries ≈ 3.5 min). A non-retryable failure (bad credentials, an
   * unknown database) is not retried at all: the phase's {@code onStepFailure} applies at once.
   */
  static final RetryOptions STEP_RETRY_BUDGET =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2)
          .setMaximumInterval(Duration.ofSeconds(30))
          .setMaximumAttempts(12)
          .build();

  /** Undos since {@value Changes#STEP_POLICY}: 1 s doubling to 1 min, 12 tries ≈ 8 min, then a person. */
  static final RetryOptions UNDO_RETRY_BUDGET =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2)
          .setMaximumInterval(Duration.ofMinutes(1))
          .setMaximumAttempts(12)
          .build();

  /**
   * Version 1 sends trigger watches to their own task queue ({@link RolloutWorkflow#watchTaskQueue}),
   * served by their own worker, so steps and undos never queue behind watching.
   */
  static final String WATCH_TASK_QUEUE = "watch-task-queue";

  /**
   * Version 1 gives steps and undos a schedule-to-start limit: a call no worker picks up (a starved or
   * unserved task queue) fails visibly after {@link #START_LIMIT} instead of waiting unseen.
   */
  static final String SCHEDULE_TO_START = "schedule-to-start-limit";

  /** Long enough for a worker restart or a rolling deploy; short enough that a person hears of it. */
  static final Duration START_LIMIT = Duration.ofMinutes(10);

  private ActivityStubs() {}

  private static RetryOptions stepRetries() {
    return Changes.current().stepPolicy() ? STEP_RETRY_BUDGET : STEP_RETRIES;
  }

  private static RetryOptions undoRetries() {
    return Changes.current().stepPolicy() ? UNDO_RETRY_BUDGET : UNDO_RETRIES;
  }

  /** An undo that waits (heartbeating) until the workload is ready: redeploy, scale back. */
  static <T> T longRunningUndo(Class<T> type, String summary, Duration longest) {
    return Workflow.newActivityStub(
        type,
        firstInLine(options(summary, longest.plus(Duration.ofMinutes(5)), Duration.ofMinutes(2), undoRetries())));
  }

  /**
   * A step or a read before one. Backups and migrations may take a while without heartbeating;
   * deploys and scales heartbeat while they wait for readiness.
   */
  static <T> T step(Class<T> type, String summary) {
    return Workflow.newActivityStub(type, startLimited(options(summary, Duration.ofMinutes(30), null, stepRetries())));
  }

  static <T> T undo(Class<T> type, String summary) {
    return Workflow.newActivityStub(type,
        firstInLine(startLimited(options(summary, Duration.ofMinutes(30), null, undoRetries()))));
  }

  /**
   * Version 1 puts undos first in line: when thousands of rollouts roll back at once (one bad
   * metric behind all of them), the task queue's backlog hands out undos before steps and reads,
   * so traffic goes back to stable before anything new goes forward. Servers without task
   * priorities ignore it.
   */
  static final String UNDO_FIRST_IN_LINE = "undo-first-in-line";

  /** Temporal's priority keys run from 1 (first) to 5; an unset key means 3. */
  static final int UNDO_PRIORITY_KEY = 1;

  private static ActivityOptions firstInLine(ActivityOptions options) {
    if (!Changes.since(UNDO_FIRST_IN_LINE)) return options;
    return ActivityOptions.newBuilder(options)
        .setPriority(Priority.newBuilder().setPriorityKey(UNDO_PRIORITY_KEY).build())
        .build();
  }

  /** The trigger watch: long-running, on the watch task queue (see {@link #WATCH_TASK_QUEUE}). */
  static <T> T watch(Class<T> type, String summary, Duration longest) {
    return Workflow.newActivityStub(type,
        onWatchQueue(options(summary, longest.plus(Duration.ofMinutes(5)), Duration.ofMinutes(2), STEP_RETRIES)));
  }

  /** A watch's options, moved to the watch task queue from version 1 of {@link #WATCH_TASK_QUEUE}. */
  static ActivityOptions onWatchQueue(ActivityOptions options) {
    if (!Changes.since(WATCH_TASK_QUEUE)) return options;
    return ActivityOptions.newBuilder(options)
        .setTaskQueue(RolloutWorkflow.watchTaskQueue(Workflow.getInfo().getTaskQueue()))
        .build();
  }

  private static ActivityOptions startLimited(ActivityOptions options) {
    if (!Changes.since(SCHEDULE_TO_START)) return options;
    return ActivityOptions.newBuilder(options).setScheduleToStartTimeout(START_LIMIT).build();
  }

  /** A call that runs up to {@code longest} and heartbeats (health probe, rollout wait, canary judgement). */
  static <T> T longRunning(Class<T> type, String summary, Duration longest) {
    return Workflow.newActivityStub(
        type,
        options(summary, longest.plus(Duration.ofMinutes(5)), Duration.ofMinutes(2), stepRetries()));
  }

  /**
   * Since version 1: a notification in flight is abandoned, not cancelled, when the rollout is
   * cancelled: a message already on its way is let go, and no cancel is sent for an activity that
   * may have completed meanwhile (the test server refuses that task with ACTIVITY_UNKNOWN and the
   * rehearsal hangs; see {@link TriggerGuard} for the same race on watches).
   */
  static final String NOTIFY_ABANDONED = "notify-abandoned-on-cancel";

  /** Notifications: a few quick tries; their failure is logged, never fatal. */
  static <T> T notifier(Class<T> type, String summary) {
    ActivityOptions.Builder options = ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(30))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
        .setSummary(summary);
    if (Changes.since(NOTIFY_ABANDONED)) {
      options.setCancellationType(ActivityCancellationType.ABANDON);
    }
    return Workflow.newActivityStub(type, options.build());
  }

  private static ActivityOptions options(
      String summary, Duration startToClose, Duration heartbeat, RetryOptions retries) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(startToClose)
        .setHeartbeatTimeout(heartbeat)
        .setRetryOptions(retries)
        // An abort must not wait for a slow step to notice its cancellation.
        .setCancellationType(ActivityCancellationType.TRY_CANCEL)
        .setSummary(summary)
        .build();
  }
}
