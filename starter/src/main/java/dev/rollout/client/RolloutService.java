package dev.rollout.client;

import dev.rollout.plan.Plan;
import dev.rollout.plan.Target;
import dev.rollout.workflow.Actions;
import dev.rollout.workflow.RolloutIds;
import dev.rollout.workflow.RolloutRequest;
import dev.rollout.workflow.RolloutState;
import dev.rollout.workflow.RolloutBrief;
import dev.rollout.workflow.RolloutStatus;
import dev.rollout.workflow.RolloutWorkflow;
import dev.rollout.workflow.LeftoverReader;
import dev.rollout.workflow.RolloutLeftover;
import dev.rollout.workflow.RolloutRecovery;
import dev.rollout.workflow.RolloutRecoveryWorkflow;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import dev.rollout.worker.security.PlanDigest;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.GlobalDataConverter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The one place that starts and steers rollouts on Temporal. Every action is sent to one run,
 * signed for the {@link Actor} the API authenticated ({@link SigningClientInterceptor}).
 */
public class RolloutService {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RolloutService.class);
  /** How long a start waits for an ended run to close (normally milliseconds: its locks' ends). */
  static final Duration ENDING_RUN_WAIT = Duration.ofSeconds(30);

  private final WorkflowClient client;
  private final String taskQueue;
  private final RolloutCalls calls;
  private final RolloutLister lister;

  public RolloutService(WorkflowClient client, String taskQueue) {
    this.client = client;
    this.taskQueue = taskQueue;
    this.calls = new RolloutCalls(client);
    this.lister = new RolloutLister(client, calls);
  }

  /**
   * Starts a rollout of a validated plan. The workflow id comes from the plan's targets, and
   * Temporal refuses a second running workflow with that id: a busy target throws {@link
   * RolloutBusyException} naming the running rollout. A finished rollout's id may be reused.
   */
  public RolloutStatus start(Plan plan, String source, String user) {
    String id = RolloutIds.forPlan(plan);
    awaitEndedRunClosing(id);
    refuseLockedTargets(plan);
    List<String> targetKeys = plan.targets().stream().map(Target::key).toList();
    String targets = String.join(", ", targetKeys);
    WorkflowOptions options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(id)
            .setTaskQueue(taskQueue)
            .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
            .setMemo(Map.of("plan", plan.name(), "target", targets, "startedBy", user,
                "targets", targetKeys, "planDigest", PlanDigest.of(plan)))
            .setStaticSummary(summary(plan.name() + " → " + targets + " (by " + user + ")"))
            .build();
    RolloutWorkflow workflow = client.newWorkflowStub(RolloutWorkflow.class, options);
    try {
      WorkflowClient.start(workflow::run, new RolloutRequest(id, plan, user, source));
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw new RolloutBusyException(id, e.getExecution().getRunId());
    }
    return calls.statusWhenReady(id);
  }

  /**
   * A rollout shows its end (ROLLED_BACK, COMPLETED) a moment before its run closes: it still
   * releases its target locks. A start in that moment is not refused as busy: it waits for the run
   * to close, at most {@link #ENDING_RUN_WAIT}, and then goes on (or is refused as busy by what
   * follows, if the run did not close).
   */
  private void awaitEndedRunClosing(String id) {
    boolean open = calls.describe(id)
        .map(d -> d.getWorkflowExecutionInfo().getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING)
        .orElse(false);
    if (!open) return;
    RolloutState state;
    try {
      state = calls.status(id).state();
    } catch (RuntimeException e) {
      return;   // whatever the run is doing, the start below answers for it
    }
    if (state == null || !state.terminal()) return;
    try {
      client.newUntypedWorkflowStub(id, Optional.empty(), Optional.empty())
          .getResult(ENDING_RUN_WAIT.toSeconds(), TimeUnit.SECONDS, Void.class);
    } catch (TimeoutException e) {
      log.warn("rollout {} ended ({}) but its run did not close within {}", id, state, ENDING_RUN_WAIT);
    } catch (RuntimeException e) {
      // The run closed as canceled or failed: closed is all that matters here.
    }
  }

  /**
   * Runs the rollback a Temporal <em>terminate</em> skipped: reads what the terminated run left
   * undone ({@link LeftoverReader}) and starts a {@link RolloutRecoveryWorkflow} as a new run of the
   * same rollout id, so the id's status, runs and actions show it. Refused (409) unless the newest
   * run of the id was terminated (a rollout's, or a recovery's), or is a recovery that ended
   * ROLLBACK_FAILED because another rollout held a target; refused (403) when the plan names roles
   * and {@code role} is not one of them. Answers the recovery's status.
   */
  public RolloutStatus recover(String rolloutId, Actor actor, String role, String reason) {
    WorkflowExecutionInfo newest = calls.describe(rolloutId)
        .map(DescribeWorkflowExecutionResponse::getWorkflowExecutionInfo)
        .orElseThrow(() -> new RolloutNotFoundException(rolloutId));
    String runId = newest.getExecution().getRunId();
    refuseUnlessRecoverable(rolloutId, newest);
    RolloutLeftover left = LeftoverReader.read(client, rolloutId, runId);
    if (left.state().terminal() && left.state() != RolloutState.ROLLBACK_FAILED) {
      // Terminated while it closed (releasing its locks): it had ended; a completed rollout's
      // undos are never run by a recovery. A ROLLBACK_FAILED run still has undos open.
      throw new RolloutRefusedException(rolloutId, RolloutRefusedException.Kind.CONFLICT,
          "only a rollout Temporal terminated before it ended can be recovered: run " + runId
              + " had already ended " + left.state() + " when it was terminated");
    }
    Plan plan = left.request().plan();
    if (!plan.roles().isEmpty() && (role == null || !plan.roles().contains(role))) {
      throw new RolloutRefusedException(rolloutId, RolloutRefusedException.Kind.FORBIDDEN,
          "recover needs one of the plan's roles " + plan.roles() + (role == null ? "; name yours" : ", not '" + role + "'"));
    }
    refuseTargetsLockedByOthers(plan, rolloutId, runId);
    List<String> targetKeys = plan.targets().stream().map(Target::key).toList();
    String user = actor.principal();
    WorkflowOptions options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(rolloutId)
            .setTaskQueue(taskQueue)
            .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
            .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
            .setMemo(Map.of("plan", plan.name(), "target", String.join(", ", targetKeys),
                "startedBy", left.request().startedBy(), "targets", targetKeys, "planDigest", PlanDigest.of(plan),
                "recoveredBy", user, "recovers", runId))
            .setStaticSummary(summary("recovery of " + plan.name() + " (run " + runId + " terminated; by " + user + ")"))
            .build();
    RolloutRecoveryWorkflow recovery = client.newWorkflowStub(RolloutRecoveryWorkflow.class, options);
    try {
      WorkflowClient.start(recovery::recover, left.request(), new RolloutRecovery(runId, left, user, role, reason));
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw new RolloutBusyException(rolloutId, e.getExecution().getRunId());
    }
    return calls.statusWhenReady(rolloutId);
  }

  /** Only a terminated run (or a recovery refused by another rollout's lock) is recovered. */
  private void refuseUnlessRecoverable(String rolloutId, WorkflowExecutionInfo newest) {
    String type = newest.getType().getName();
    WorkflowExecutionStatus status = newest.getStatus();
    if (status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED) return;
    String runId = newest.getExecution().getRunId();
    RolloutState state = null;
    try {
      state = calls.status(rolloutId, runId).state();
    } catch (RuntimeException unreadable) {
      // The refusal below says what Temporal says.
    }
    boolean recovery = type.equals(RolloutLister.RECOVERY_TYPE);
    if (recovery && status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED
        && state == RolloutState.ROLLBACK_FAILED) {
      return;
    }
    String shown = state != null ? state.name() : status.name().replace("WORKFLOW_EXECUTION_STATUS_", "");
    String why = status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
        ? (recovery ? "it is being recovered (" + shown + ")" : "it is running (" + shown + "); abort it to roll it back")
        : recovery ? "it was already recovered (" + shown + ")"
        : "its newest run ended " + shown + ", not terminated";
    throw new RolloutRefusedException(rolloutId, RolloutRefusedException.Kind.CONFLICT,
        "only a rollout Temporal terminated can be recovered: " + why);
  }

  /**
   * Refuses a recovery while another rollout holds one of the plan's targets: undoing now would
   * undo that rollout's work. A lock the terminated run itself still holds is the recovery's to end.
   */
  private void refuseTargetsLockedByOthers(Plan plan, String rolloutId, String terminatedRunId) {
    for (Target t : plan.targets()) {
      calls.describe(RolloutIds.lockId(t))
          .map(DescribeWorkflowExecutionResponse::getWorkflowExecutionInfo)
          .filter(lock -> lock.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING)
          .filter(WorkflowExecutionInfo::hasParentExecution)
          .filter(lock -> !lock.getParentExecution().getRunId().equals(terminatedRunId))
          .ifPresent(lock -> {
            throw new RolloutBusyException(lock.getParentExecution().getWorkflowId(),
                lock.getParentExecution().getRunId(), t.key());
          });
    }
  }

  /**
   * Refuses at once a plan one of whose targets another running rollout holds (a plan on [A, B]
   * while one on [A] runs), naming that rollout: a target's lock is a running workflow with the
   * target's lock id, started by the rollout that holds it. Only a pre-check for a clear answer:
   * when two starts race past it, the rollouts' own locks decide and the loser ends refused
   * before it changes anything.
   */
  private void refuseLockedTargets(Plan plan) {
    for (Target t : plan.targets()) {
      calls.describe(RolloutIds.lockId(t))
          .map(DescribeWorkflowExecutionResponse::getWorkflowExecutionInfo)
          .filter(lock -> lock.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING)
          .filter(WorkflowExecutionInfo::hasParentExecution)
          .ifPresent(lock -> {
            throw new RolloutBusyException(lock.getParentExecution().getWorkflowId(),
                lock.getParentExecution().getRunId(), t.key());
          });
    }
  }

  /**
   * Rollouts, running and finished, newest first.
   *
   * @param target a target key ({@code service/environment}) or a service name; null for all
   * @param state only rollouts in this state; null for all
   */
  public List<RolloutSummary> list(String target, RolloutState state) {
    return list(new RolloutFilter(target, state, null));
  }

  /**
   * Rollouts meeting the filter, newest first, answered from their search attributes (on the
   * embedded server too). Throws IllegalArgumentException for a filter value holding quotes.
   */
  public List<RolloutSummary> list(RolloutFilter filter) {
    return lister.list(filter);
  }

  public RolloutStatus status(String rolloutId) {
    return calls.status(rolloutId);
  }

  /**
   * The status of one run of the rollout id, running or ended (its undos, restored backup and
   * result), also after a later run of the same target started. Null {@code runId}: the newest run.
   */
  public RolloutStatus status(String rolloutId, String runId) {
    return runId == null || runId.isBlank() ? calls.status(rolloutId) : calls.status(rolloutId, runId.strip());
  }

  /** Every run of the rollout id (each start on the target), newest first. */
  public List<RolloutRun> runs(String rolloutId) {
    return lister.runs(rolloutId);
  }

  /** The plan a rollout runs (as it was started), from Temporal's record of its start. */
  public Plan plan(String rolloutId) {
    try {
      return calls.request(rolloutId).plan();
    } catch (io.grpc.StatusRuntimeException e) {
      if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) throw new RolloutNotFoundException(rolloutId);
      throw e;
    }
  }

  /**
   * The current run of a rollout and what it runs: its run id, targets, plan digest and starter.
   * Throws {@link RolloutNotFoundException} for an unknown id.
   */
  public RunFacts facts(String rolloutId) {
    return facts(rolloutId, "");
  }

  /** The same of one run ({@code runId} empty: the newest). */
  private RunFacts facts(String rolloutId, String runId) {
    var d = calls.describe(rolloutId, runId).orElseThrow(() -> runId.isEmpty()
        ? new RolloutNotFoundException(rolloutId) : new RolloutNotFoundException(rolloutId, runId));
    Map<String, Payload> memo = d.getWorkflowExecutionInfo().getMemo().getFieldsMap();
    String target = memoString(memo, "target");
    List<String> targets =
        memo.containsKey("targets")
            ? List.of(GlobalDataConverter.get().fromPayload(memo.get("targets"), String[].class, String[].class))
            : target == null ? List.of() : Arrays.stream(target.split(",\\s*")).toList();
    return new RunFacts(rolloutId, d.getWorkflowExecutionInfo().getExecution().getRunId(), targets,
        memoString(memo, "planDigest"), memoString(memo, "startedBy"));
  }

  private static String memoString(Map<String, Payload> memo, String key) {
    Payload p = memo.get(key);
    return p == null ? null : GlobalDataConverter.get().fromPayload(p, String.class, String.class);
  }

  /**
   * Approves the wait the caller names, or the one open now: the wait id goes with the approval,
   * so a retry (or a late duplicate) can never count for a later wait, and the Update id derives
   * from wait, person and role, so Temporal runs a repeated request once. The whole record, wait
   * id included, is what the API signs.
   */
  public ActionAnswer approve(RunFacts run, Actor actor, Actions.Approve action) {
    String wait = action.waitId() != null ? action.waitId() : openWait(run.rolloutId());
    Actions.Approve named = new Actions.Approve(action.user(), action.role(), action.comment(), wait);
    return updateOnce(run, actor, "approve", RolloutCalls.updateId("approve", wait, action.user(), action.role()), named);
  }

  public ActionAnswer reject(RunFacts run, Actor actor, Actions.Reject action) {
    String wait = action.waitId() != null ? action.waitId() : openWait(run.rolloutId());
    Actions.Reject named = new Actions.Reject(action.user(), action.role(), action.comment(), wait);
    return updateOnce(run, actor, "reject", RolloutCalls.updateId("reject", wait, action.user(), action.role()), named);
  }

  public ActionAnswer confirm(RunFacts run, Actor actor, Actions.Confirm action) {
    String wait = action.waitId() != null ? action.waitId() : openWait(run.rolloutId());
    Actions.Confirm named = new Actions.Confirm(action.user(), action.role(), action.item(), action.comment(), wait);
    return updateOnce(run, actor, "confirm", RolloutCalls.updateId("confirm", wait, action.user(), action.role()), named);
  }

  /** The id of the wait the rollout shows now, or null when it waits for nobody. */
  private String openWait(String rolloutId) {
    RolloutStatus s = calls.status(rolloutId);
    return s.waitingFor() == null ? null : s.waitingFor().id();
  }

  public ActionAnswer pause(RunFacts run, Actor actor, Actions.Operator action) {
    return update(run, actor, "pause", w -> w.pause(action));
  }

  public ActionAnswer resume(RunFacts run, Actor actor, Actions.Operator action) {
    return update(run, actor, "resume", w -> w.resume(action));
  }

  public ActionAnswer abort(RunFacts run, Actor actor, Actions.Abort action) {
    return update(run, actor, "abort", w -> w.abort(action));
  }

  public ActionAnswer retryUndo(RunFacts run, Actor actor, Actions.UndoAction action) {
    return update(run, actor, "retry of an undo", w -> w.retryUndo(action));
  }

  public ActionAnswer skipUndo(RunFacts run, Actor actor, Actions.UndoAction action) {
    return update(run, actor, "skip of an undo", w -> w.skipUndo(action));
  }

  public ActionAnswer markUndoDone(RunFacts run, Actor actor, Actions.UndoAction action) {
    return update(run, actor, "undo marked done", w -> w.markUndoDone(action));
  }

  public ActionAnswer skipBake(RunFacts run, Actor actor, Actions.SkipBake action) {
    return update(run, actor, "skip-bake", w -> w.skipBake(action));
  }

  public ActionAnswer decide(RunFacts run, Actor actor, Actions.Decide action) {
    String wait = action.waitId() != null ? action.waitId() : openWait(run.rolloutId());
    Actions.Decide named = new Actions.Decide(action.user(), action.choice(), action.comment(), action.role(), wait);
    return updateOnce(run, actor, "decide", RolloutCalls.updateId("decide", wait, action.user(), action.role()), named);
  }

  private ActionAnswer update(RunFacts run, Actor actor, String what, Function<RolloutWorkflow, RolloutBrief> call) {
    return SigningClientInterceptor.actingAs(actor, run.planDigest(),
        () -> calls.update(run.rolloutId(), run.runId(), what, call));
  }

  /** An Update under a chosen id ({@link RolloutCalls#updateOnce}), signed like every other. */
  private ActionAnswer updateOnce(RunFacts run, Actor actor, String name, String updateId, Object action) {
    return SigningClientInterceptor.actingAs(actor, run.planDigest(),
        () -> calls.updateOnce(run.rolloutId(), run.runId(), name, updateId, action));
  }

  /**
   * Every person's action the rollout accepted, in order, as JSON lines: the start, then each
   * accepted Update with the principal and roles the API signed it for, its time, run, plan
   * digest, and the request (role, comment, wait). Read from history, so it is complete.
   */
  public String audit(String rolloutId) {
    return audit(rolloutId, null);
  }

  /** The audit of one run ({@code runId} null: the newest). */
  public String audit(String rolloutId, String runId) {
    return new AuditLog(client).lines(rolloutId, facts(rolloutId, runId == null ? "" : runId.strip()));
  }

  /** The Web UI shows at most 200 bytes of a static summary. */
  private static String summary(String text) {
    return text.length() <= 120 ? text : text.substring(0, 117) + "...";
  }
}
