package dev.rollout.workflow;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowQueryException;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkflowImplementationOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads what a closed run left undone ({@link RolloutLeftover}), for its recovery: the {@code
 * leftover} query, answered by a worker replaying the run's history. A run terminated while a
 * workflow task was in flight has a history no worker replays (a task started and never completed,
 * then the termination: the SDK fails the query with "Unexpected event"); its history up to the
 * last completed task — the state any query answers from — is replayed here, with this code, and
 * the query's method is read on the replayed workflow. Never from text: always the workflow's own
 * state.
 */
public final class LeftoverReader {
  private LeftoverReader() {}

  /**
   * The leftover of run {@code runId} of rollout {@code rolloutId} (a rollout's or a recovery's run).
   * A history whose last task completed is asked through the query; one whose last task never
   * completed is replayed here (no worker replays it, and on Temporal's Java test server such a
   * failed query leaves its time-skipping lock held).
   */
  public static RolloutLeftover read(WorkflowClient client, String rolloutId, String runId) {
    WorkflowExecutionHistory history = client.fetchHistory(rolloutId, runId);
    List<HistoryEvent> events = history.getEvents();
    boolean taskInFlight = completedTasks(events).size() < events.size() - 1;
    if (!taskInFlight) {
      try {
        return client.newWorkflowStub(RolloutWorkflow.class, rolloutId, Optional.of(runId)).leftover();
      } catch (WorkflowQueryException unanswered) {
        // No worker could answer (none polls, or it cannot replay): replayed here below.
      }
    }
    return replayed(client, history);
  }

  /** Replays the history's completed tasks with this code and asks the replayed workflow. */
  static RolloutLeftover replayed(WorkflowClient client, WorkflowExecutionHistory history) {
    AtomicReference<RolloutWorkflowImpl> rollout = new AtomicReference<>();
    AtomicReference<RolloutRecoveryWorkflowImpl> recovery = new AtomicReference<>();
    WorkerFactory factory = WorkerFactory.newInstance(client);
    try {
      // Never started: a worker that only replays, on a queue nobody polls.
      Worker worker = factory.newWorker("leftover-replay-" + history.getWorkflowExecution().getRunId());
      WorkflowImplementationOptions options = WorkflowImplementationOptions.getDefaultInstance();
      worker.registerWorkflowImplementationFactory(RolloutWorkflow.class,
          args -> remember(rollout, new RolloutWorkflowImpl(args.get(0, RolloutRequest.class))), options);
      worker.registerWorkflowImplementationFactory(RolloutRecoveryWorkflow.class,
          args -> remember(recovery, new RolloutRecoveryWorkflowImpl(args.get(0, RolloutRequest.class),
              args.get(1, RolloutRecovery.class))), options);
      worker.replayWorkflowExecution(new WorkflowExecutionHistory(
          History.newBuilder().addAllEvents(completedTasks(history.getEvents())).build(),
          history.getWorkflowExecution().getWorkflowId()));
    } catch (Exception e) {
      throw new IllegalStateException("could not replay the history of run " + history.getWorkflowExecution().getRunId()
          + " to read what it left undone: " + e.getMessage(), e);
    } finally {
      factory.shutdownNow();
    }
    if (rollout.get() != null) return rollout.get().leftover();
    if (recovery.get() != null) return recovery.get().leftover();
    throw new IllegalStateException("run " + history.getWorkflowExecution().getRunId() + " is neither a rollout nor a recovery");
  }

  private static <T> T remember(AtomicReference<T> holder, T workflow) {
    holder.set(workflow);
    return workflow;
  }

  /**
   * The events up to the last completed workflow task and the commands it issued: what the state
   * a query reads was built from. A task started and never completed, and the termination, go.
   */
  static List<HistoryEvent> completedTasks(List<HistoryEvent> events) {
    int lastCompleted = -1;
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) lastCompleted = i;
    }
    List<HistoryEvent> kept = new ArrayList<>(events.subList(0, lastCompleted + 1));
    for (int i = lastCompleted + 1; i < events.size(); i++) {
      EventType type = events.get(i).getEventType();
      if (type == EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED || type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED
          || type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT) {
        break;
      }
      kept.add(events.get(i));
    }
    return kept;
  }
}
