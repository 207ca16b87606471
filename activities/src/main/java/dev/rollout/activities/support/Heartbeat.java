package dev.rollout.activities.support;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.util.Optional;

/**
 * Heartbeats from a long-running activity. Captured on the activity's own thread (the context is
 * thread-bound); outside an activity (plain unit tests, bench mains) it does nothing.
 */
public final class Heartbeat {

  private final ActivityExecutionContext context;

  private Heartbeat(ActivityExecutionContext context) {
    this.context = context;
  }

  public static Heartbeat current() {
    try {
      return new Heartbeat(Activity.getExecutionContext());
    } catch (IllegalStateException | NullPointerException notInAnActivity) {
      return new Heartbeat(null);
    }
  }

  /** Records progress; throws if the workflow cancelled the activity, so the caller stops. */
  public void beat(Object progress) {
    if (context != null) context.heartbeat(progress);
  }

  /** A stable id for this attempt's side effect (workflow id + activity id), when in an activity. */
  public Optional<String> idempotencyKey() {
    if (context == null) return Optional.empty();
    var info = context.getInfo();
    return Optional.of(info.getWorkflowId() + "/" + info.getActivityId());
  }
}
