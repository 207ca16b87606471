package dev.rollout.activities.metrics;

import dev.rollout.activities.MetricActivities.WatchResult;
import dev.rollout.activities.metrics.TriggerWatcher.WatchProgress;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.ActivityCompletionClient;
import io.temporal.client.ActivityCompletionFailureException;
import io.temporal.client.ActivityNotExistsException;

/** A watch's answers, sent to its activity through Temporal's completion client by task token. */
record ActivityReply(ActivityCompletionClient client, byte[] taskToken) implements WatchScheduler.Reply {

  @Override
  public void heartbeat(WatchProgress progress) {
    try {
      client.heartbeat(taskToken, progress);
    } catch (ActivityCompletionFailureException e) {
      throw unwrapped(e);
    }
  }

  @Override
  public void complete(WatchResult result) {
    try {
      client.complete(taskToken, result);
    } catch (ActivityCompletionFailureException e) {
      throw unwrapped(e);
    }
  }

  @Override
  public void reportCancellation(WatchProgress progress) {
    client.reportCancellation(taskToken, progress);
  }

  /**
   * SDK 1.38 wraps the "cancel requested" answer of a heartbeat in a generic failure (its own catch
   * catches what it just threw): give the scheduler the exception that says what happened.
   */
  static RuntimeException unwrapped(ActivityCompletionFailureException e) {
    if (e.getCause() instanceof ActivityCanceledException c) return c;
    if (e.getCause() instanceof ActivityNotExistsException n) return n;
    return e;
  }
}
