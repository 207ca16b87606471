package dev.rollout.client;

import dev.rollout.activities.support.DaemonThreads;
import dev.rollout.client.RolloutRefusedException.Kind;
import dev.rollout.workflow.RolloutRequest;
import dev.rollout.workflow.RolloutBrief;
import dev.rollout.workflow.RolloutStatus;
import dev.rollout.workflow.RolloutWorkflow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowQueryException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateStage;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** Queries, Updates and descriptions of one rollout, with Temporal's errors turned into ours. */
final class RolloutCalls {
  /** How long a freshly started rollout may take to answer its first status query. */
  private static final Duration FIRST_STATUS = Duration.ofSeconds(30);

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RolloutCalls.class);

  private final WorkflowClient client;
  private final Duration updateDeadline;
  private final Duration statusAfterActionDeadline;

  RolloutCalls(WorkflowClient client) {
    this(client, UPDATE_DEADLINE);
  }

  RolloutCalls(WorkflowClient client, Duration updateDeadline) {
    this(client, updateDeadline, STATUS_AFTER_ACTION_DEADLINE);
  }

  RolloutCalls(WorkflowClient client, Duration updateDeadline, Duration statusAfterActionDeadline) {
    this.client = client;
    this.updateDeadline = updateDeadline;
    this.statusAfterActionDeadline = statusAfterActionDeadline;
  }

  RolloutStatus status(String rolloutId) {
    try {
      return stub(rolloutId).status();
    } catch (WorkflowNotFoundException e) {
      throw new RolloutNotFoundException(rolloutId);
    } catch (WorkflowQueryException e) {
      if (e.getCause() instanceof WorkflowNotFoundException) {
        throw new RolloutNotFoundException(rolloutId);
      }
      throw e;
    }
  }

  /**
   * The status of one run of a rollout, running or ended: a query on an ended run is answered by a
   * worker replaying its history, so an earlier run's undos and result stay readable after the
   * next run of the target started.
   */
  RolloutStatus status(String rolloutId, String runId) {
    try {
      return client.newWorkflowStub(RolloutWorkflow.class, rolloutId, Optional.of(runId)).status();
    } catch (WorkflowNotFoundException e) {
      throw new RolloutNotFoundException(rolloutId, runId);
    } catch (WorkflowQueryException e) {
      if (e.getCause() instanceof WorkflowNotFoundException || invalidRun(e.getCause())) {
        throw new RolloutNotFoundException(rolloutId, runId);
      }
      throw e;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND || invalidRun(e)) throw new RolloutNotFoundException(rolloutId, runId);
      throw e;
    }
  }

  /** A run id that is not even well formed: Temporal answers INVALID_ARGUMENT. */
  private static boolean invalidRun(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) return true;
    }
    return false;
  }

  /**
   * The status of a rollout that was just started: a query can only be answered once a worker
   * has run the first workflow task, so retry (briefly) until it has.
   */
  RolloutStatus statusWhenReady(String rolloutId) {
    long deadline = System.nanoTime() + FIRST_STATUS.toNanos();
    while (true) {
      try {
        return status(rolloutId);
      } catch (WorkflowQueryException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        pause(Duration.ofMillis(100));
      }
    }
  }

  /**
   * An Update to one run ({@code runId}), given up after the update deadline (60 s) saying what it
   * waited for; a run that has ended is refused as a conflict. Answers with the run's whole status
   * read right after (the Update itself answers only in brief, since history keeps every answer),
   * or, when only that read fails, with the brief as a {@link RecordedAction}.
   */
  ActionAnswer update(String rolloutId, String runId, String updateName, Function<RolloutWorkflow, RolloutBrief> call) {
    RolloutBrief brief;
    try {
      brief = accepted(rolloutId, updateName,
          () -> call.apply(client.newWorkflowStub(RolloutWorkflow.class, rolloutId, Optional.of(runId))));
    } catch (WorkflowUpdateException e) {
      throw refused(rolloutId, e);
    } catch (WorkflowNotFoundException e) {
      // Temporal says "not found" both for an unknown id and for a rollout that has ended.
      String ended = closedStatus(rolloutId).orElseThrow(() -> new RolloutNotFoundException(rolloutId));
      throw new RolloutRefusedException(
          rolloutId, Kind.CONFLICT, "rollout '" + rolloutId + "' has ended (" + ended + ")");
    }
    return statusAfter(rolloutId, runId, updateName, brief);
  }

  /** How long an answer may take to be accepted and applied before the caller is told so. */
  static final Duration UPDATE_DEADLINE = Duration.ofSeconds(60);

  /**
   * How long the status read right after an accepted action may take: as long as the SDK's own
   * query deadline (10 s), so it is this one that names what was waited for.
   */
  static final Duration STATUS_AFTER_ACTION_DEADLINE = Duration.ofSeconds(10);

  /** Runs an Update within the update deadline; past it, says what it waited for. */
  private RolloutBrief accepted(String rolloutId, String updateName, Supplier<RolloutBrief> call) {
    try {
      return within(updateDeadline, call, "the " + updateName + " of " + rolloutId);
    } catch (TimeoutException e) {
      throw new RolloutDeadlineException(rolloutId, updateName, updateDeadline);
    }
  }

  /**
   * The run's whole status right after an accepted action, read within its own deadline. The
   * action happened whatever this read does: when it fails, the answer says so with the action's
   * own brief, so nobody is told "error" for something that was recorded, and repeats it.
   */
  private ActionAnswer statusAfter(String rolloutId, String runId, String action, RolloutBrief brief) {
    String waitedFor = "the status of rollout '" + rolloutId + "' after the " + action;
    RecordedAction.StatusUnavailable unavailable;
    try {
      return new ActionAnswer.WithStatus(within(statusAfterActionDeadline, () -> status(rolloutId, runId), waitedFor));
    } catch (TimeoutException e) {
      unavailable = RecordedAction.StatusUnavailable.timedOut(waitedFor, statusAfterActionDeadline);
    } catch (RuntimeException e) {
      unavailable = RecordedAction.StatusUnavailable.failed(waitedFor, statusAfterActionDeadline, e);
    }
    log.warn("rollout {} (run {}): the {} was recorded, but its status could not be read: {}",
        rolloutId, runId, action, unavailable.reason());
    return new RecordedAction(action, rolloutId, runId, brief, unavailable);
  }

  /**
   * The threads calls that wait on a workflow run on: the API's own, not the common pool. A call
   * given up at its deadline is interrupted, which ends the SDK's wait; left running, an Update to
   * a rollout whose worker is down waits until the rollout ends, and on a machine with more than
   * two cores a few of them would hold every common-pool thread, so that every later action timed
   * out too.
   */
  private static final ExecutorService CALLS = Executors.newCachedThreadPool(DaemonThreads.named("rollout-call"));

  /**
   * Runs a call that waits on the workflow (an Update, a Query) on another thread, so it can be
   * given up after {@code deadline}; the thread takes the signer's actor along.
   */
  private static <T> T within(Duration deadline, Supplier<T> call, String waitedFor) throws TimeoutException {
    Supplier<T> carried = SigningClientInterceptor.carried(call);
    Future<T> answer = CALLS.submit(carried::get);
    try {
      return answer.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw e;
    } catch (InterruptedException e) {
      answer.cancel(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + waitedFor, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error err) throw err;
      throw new IllegalStateException(waitedFor + " failed", e.getCause());
    }
  }

  /**
   * Sends an Update under a chosen id: Temporal runs an Update once per id and run, so a repeated
   * request (a client retry, a double click) returns the first answer instead of acting twice.
   */
  ActionAnswer updateOnce(String rolloutId, String runId, String updateName, String updateId, Object action) {
    WorkflowStub stub = client.newUntypedWorkflowStub(rolloutId, Optional.of(runId), Optional.empty());
    UpdateOptions<RolloutBrief> options = UpdateOptions.newBuilder(RolloutBrief.class)
        .setUpdateName(updateName)
        .setUpdateId(updateId)
        .setWaitForStage(WorkflowUpdateStage.COMPLETED)
        .build();
    return update(rolloutId, runId, updateName, w -> stub.startUpdate(options, action).getResult());
  }

  /** The same answer (action, wait, person, role) always gets the same Update id. */
  static String updateId(String action, String waitId, String user, String role) {
    if (waitId == null) return UUID.randomUUID().toString();
    return action + ":" + waitId + ":" + user + ":" + role;
  }

  /** The execution status of the latest run, when the rollout exists and has ended. */
  Optional<String> closedStatus(String rolloutId) {
    return describe(rolloutId)
        .map(d -> d.getWorkflowExecutionInfo().getStatus().name())
        .map(s -> s.replace("WORKFLOW_EXECUTION_STATUS_", ""))
        .filter(s -> !s.equals("RUNNING"));
  }

  Optional<DescribeWorkflowExecutionResponse> describe(String rolloutId) {
    return describe(rolloutId, "");
  }

  /** A description of one run ({@code runId} empty: the latest). */
  Optional<DescribeWorkflowExecutionResponse> describe(String rolloutId, String runId) {
    try {
      return Optional.of(
          client
              .getWorkflowServiceStubs()
              .blockingStub()
              .describeWorkflowExecution(
                  DescribeWorkflowExecutionRequest.newBuilder()
                      .setNamespace(client.getOptions().getNamespace())
                      .setExecution(
                          WorkflowExecution.newBuilder().setWorkflowId(rolloutId).setRunId(runId))
                      .build()));
    } catch (StatusRuntimeException e) {
      // A malformed run id is as unknown as a missing one.
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND || (!runId.isEmpty() && invalidRun(e))) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * What the latest run was started with (its plan, starter, source): the input of the run's first
   * history event, read with a one-event page so long histories are not fetched.
   */
  RolloutRequest request(String rolloutId) {
    var first = client.getWorkflowServiceStubs().blockingStub()
        .withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS)
        .getWorkflowExecutionHistory(io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest.newBuilder()
            .setNamespace(client.getOptions().getNamespace())
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(rolloutId))
            .setMaximumPageSize(1)
            .build());
    if (first.getHistory().getEventsCount() == 0) throw new RolloutNotFoundException(rolloutId);
    var input = first.getHistory().getEvents(0).getWorkflowExecutionStartedEventAttributes().getInput();
    return client.getOptions().getDataConverter()
        .fromPayloads(0, java.util.Optional.of(input), RolloutRequest.class, RolloutRequest.class);
  }

  private RolloutWorkflow stub(String rolloutId) {
    return client.newWorkflowStub(RolloutWorkflow.class, rolloutId);
  }

  private static RolloutRefusedException refused(String rolloutId, WorkflowUpdateException e) {
    if (e.getCause() instanceof ApplicationFailure failure) {
      return new RolloutRefusedException(
          rolloutId, kindOf(failure.getType()), failure.getOriginalMessage());
    }
    Throwable cause = e.getCause() == null ? e : e.getCause();
    return new RolloutRefusedException(rolloutId, Kind.CONFLICT, cause.getMessage());
  }

  /**
   * Validators say why by the exception they throw: SecurityException for "you may not",
   * IllegalStateException for "not now", anything else for "bad request".
   */
  static Kind kindOf(String failureType) {
    if (failureType == null) {
      return Kind.INVALID;
    }
    if (failureType.endsWith("SecurityException") || failureType.endsWith("Forbidden")) {
      return Kind.FORBIDDEN;
    }
    if (failureType.endsWith("IllegalStateException")) {
      return Kind.CONFLICT;
    }
    return Kind.INVALID;
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the rollout to start", e);
    }
  }
}
