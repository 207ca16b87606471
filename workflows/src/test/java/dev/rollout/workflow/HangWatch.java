package dev.rollout.workflow;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Tells a hung workflow from a slow one while something drives it (a rehearsal, a client waiting
 * for its result). Slow: its history keeps growing, or it waits where a wait is expected (a timer,
 * an activity, a signal or update after a completed workflow task), however long the machine takes.
 * Hung: its history has not grown for {@code stall} while it is open and its last event is a
 * workflow task that never completed (scheduled, started, failed or timed out and not written
 * again) — where the ACTIVITY_UNKNOWN race left rehearsals. A hang is reported with the workflow id
 * and the tail of its history, and the workflow is terminated so the driver returns.
 */
final class HangWatch {

  /** Where a workflow's history ends when its last workflow task never completed. */
  static final Set<EventType> TASK_NOT_COMPLETED = Set.of(
      EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
      EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED, EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT);

  private static final int TAIL = 12;

  private final Duration stall;
  private final Duration limit;
  private final Duration poll;

  /**
   * @param stall how long the history may stand still at an uncompleted workflow task before the
   *     workflow counts as hung (far beyond the 10 s workflow task timeout a slow worker would meet)
   * @param limit how long one watched run may take in all before it counts as too slow
   * @param poll how often the history is read
   */
  HangWatch(Duration stall, Duration limit, Duration poll) {
    this.stall = stall;
    this.limit = limit;
    this.poll = poll;
  }

  /** How one watched run ended. */
  enum Ending { ENDED, HUNG, TOO_SLOW }

  /**
   * @param value what the driver returned (ENDED only)
   * @param wall how long it ran
   * @param longestPause the longest time the history stood still (how close slowness came to a hang)
   * @param report for HUNG and TOO_SLOW: what was seen, the workflow id and the tail of its history
   */
  record Watched<T>(Ending ending, String workflowId, T value, Duration wall, Duration longestPause, String report) {}

  /**
   * Waits for {@code driver} while reading {@code workflowId}'s history. The driver's own failure is
   * rethrown as an AssertionError naming the workflow and its history tail.
   */
  <T> Watched<T> watch(WorkflowClient client, String workflowId, Future<T> driver) {
    long began = System.nanoTime();
    int events = -1;
    long grewAt = began;
    long cpuAtGrowth = processCpuNanos();
    Duration longestPause = Duration.ZERO;
    List<HistoryEvent> history = List.of();
    while (true) {
      try {
        T value = driver.get(poll.toMillis(), TimeUnit.MILLISECONDS);
        return new Watched<>(Ending.ENDED, workflowId, value, since(began), longestPause, null);
      } catch (TimeoutException stillRunning) {
        // read the history below
      } catch (ExecutionException failed) {
        throw new AssertionError("the driver of " + workflowId + " failed: " + failed.getCause()
            + "\n" + tail(read(client, workflowId, history)), failed.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while watching " + workflowId, e);
      }
      history = read(client, workflowId, history);
      long now = System.nanoTime();
      if (history.size() != events) {
        events = history.size();
        grewAt = now;
        cpuAtGrowth = processCpuNanos();
        continue;
      }
      Duration still = Duration.ofNanos(now - grewAt);
      if (still.compareTo(longestPause) > 0) longestPause = still;
      HistoryEvent last = history.isEmpty() ? null : history.get(history.size() - 1);
      boolean taskNotCompleted = last != null && TASK_NOT_COMPLETED.contains(last.getEventType());
      if (taskNotCompleted && still.compareTo(stall) >= 0) {
        String report = String.format(
            "HUNG: workflow %s: its history stood still at event %d %s for %d s (this JVM used %.1f s of CPU meanwhile,"
                + " load average %.1f): a workflow task that never completed, not slowness%n%s",
            workflowId, last.getEventId(), name(last.getEventType()), still.toSeconds(),
            (processCpuNanos() - cpuAtGrowth) / 1e9, loadAverage(), tail(history));
        return stop(client, workflowId, driver, Ending.HUNG, began, longestPause, report);
      }
      if (Duration.ofNanos(now - began).compareTo(limit) >= 0) {
        String report = String.format(
            "TOO SLOW: workflow %s did not end within %d s; it was not hung (its history last grew %d s ago, at %s,"
                + " a wait it may be in; load average %.1f)%n%s",
            workflowId, limit.toSeconds(), still.toSeconds(), last == null ? "no event" : name(last.getEventType()),
            loadAverage(), tail(history));
        return stop(client, workflowId, driver, Ending.TOO_SLOW, began, longestPause, report);
      }
    }
  }

  private static <T> Watched<T> stop(WorkflowClient client, String workflowId, Future<T> driver, Ending ending,
      long began, Duration longestPause, String report) {
    try {
      client.newUntypedWorkflowStub(workflowId).terminate("hang watch: " + ending);
    } catch (RuntimeException alreadyClosed) {
      // it ended meanwhile: the report stands as seen
    }
    driver.cancel(true);
    return new Watched<>(ending, workflowId, null, since(began), longestPause, report);
  }

  /** The history now, or the last one read when the server does not answer (a busy machine). */
  private static List<HistoryEvent> read(WorkflowClient client, String workflowId, List<HistoryEvent> before) {
    try {
      return client.fetchHistory(workflowId).getHistory().getEventsList();
    } catch (RuntimeException busy) {
      return before;
    }
  }

  /** The last events, one a line: id, time since the first event, type and what it concerns. */
  static String tail(List<HistoryEvent> history) {
    if (history.isEmpty()) return "  (no history read)";
    long t0 = millis(history.get(0));
    StringBuilder out = new StringBuilder("  history tail (" + history.size() + " events):\n");
    for (HistoryEvent e : history.subList(Math.max(0, history.size() - TAIL), history.size())) {
      out.append(String.format("  %5d %9d ms %s%s%n", e.getEventId(), millis(e) - t0, name(e.getEventType()), detail(e)));
    }
    return out.toString();
  }

  private static String detail(HistoryEvent e) {
    if (e.hasActivityTaskScheduledEventAttributes()) {
      return " " + e.getActivityTaskScheduledEventAttributes().getActivityType().getName()
          + " #" + e.getActivityTaskScheduledEventAttributes().getActivityId();
    }
    if (e.hasActivityTaskCancelRequestedEventAttributes()) {
      return " scheduled event " + e.getActivityTaskCancelRequestedEventAttributes().getScheduledEventId();
    }
    if (e.hasTimerStartedEventAttributes()) {
      var t = e.getTimerStartedEventAttributes();
      return " timer " + t.getTimerId() + " for " + t.getStartToFireTimeout().getSeconds() + " s";
    }
    if (e.hasWorkflowTaskFailedEventAttributes()) {
      var f = e.getWorkflowTaskFailedEventAttributes();
      return " cause " + f.getCause() + ": " + f.getFailure().getMessage();
    }
    if (e.hasWorkflowExecutionUpdateAcceptedEventAttributes()) {
      return " " + e.getWorkflowExecutionUpdateAcceptedEventAttributes().getAcceptedRequest().getInput().getName();
    }
    if (e.hasWorkflowExecutionSignaledEventAttributes()) {
      return " " + e.getWorkflowExecutionSignaledEventAttributes().getSignalName();
    }
    return "";
  }

  private static String name(EventType type) {
    return type.name().replace("EVENT_TYPE_", "");
  }

  private static long millis(HistoryEvent e) {
    return e.getEventTime().getSeconds() * 1000 + e.getEventTime().getNanos() / 1_000_000;
  }

  private static Duration since(long began) {
    return Duration.ofNanos(System.nanoTime() - began);
  }

  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : -1;
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
