package dev.rollout.activities.support;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.time.Duration;
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

  /**
   * The longest a tool started now may run inside this attempt: the attempt's start-to-close
   * timeout less a margin (a tenth, at most 30 s) for the failure to reach the server first. Empty
   * outside an activity or without that timeout. A duration, not a deadline: the attempt's times
   * are the server's clock, which a time-skipping test server moves ahead of this one. A tool that
   * outlives its attempt would run beside the retry, or apply after a person already chose
   * otherwise (a restore after "keep the data").
   */
  public Optional<Duration> attemptTimeLeft() {
    if (context == null) return Optional.empty();
    Duration limit = context.getInfo().getStartToCloseTimeout();
    if (limit == null || limit.isZero()) return Optional.empty();
    Duration tenth = limit.dividedBy(10);
    Duration margin = tenth.compareTo(MAX_MARGIN) > 0 ? MAX_MARGIN : tenth;
    return Optional.of(limit.minus(margin));
  }

  private static final Duration MAX_MARGIN = Duration.ofSeconds(30);

  /** What Temporal says of the calling activity (run, when scheduled, …); empty outside one. */
  public Optional<io.temporal.activity.ActivityInfo> info() {
    return context == null ? Optional.empty() : Optional.of(context.getInfo());
  }

  /** A stable id for this attempt's side effect (workflow id + activity id), when in an activity. */
  public Optional<String> idempotencyKey() {
    if (context == null) return Optional.empty();
    var info = context.getInfo();
    return Optional.of(info.getWorkflowId() + "/" + info.getActivityId());
  }
}
