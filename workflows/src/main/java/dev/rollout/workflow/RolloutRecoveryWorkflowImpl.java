package dev.rollout.workflow;

import dev.rollout.plan.Plan;
import dev.rollout.plan.Severity;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.util.List;

/**
 * Runs the rollback a Temporal terminate skipped ({@link RolloutRecoveryWorkflow}): the same
 * {@link Rollback}, {@link UndoRunner}, {@link IncidentEscalation} and {@link UndoDecisions} as a
 * rollout, built on the terminated run's undos (ids and statuses kept), its phase and the phases it
 * started. Never the plan's steps: only undos and rollback steps run here.
 */
public class RolloutRecoveryWorkflowImpl implements RolloutRecoveryWorkflow {
  /** {@link RolloutResult#trigger} of a recovery's rollback. */
  static final String TRIGGER = "terminated";

  private final RolloutRequest request;
  private final RolloutRecovery recovery;
  private final Plan plan;
  private final CompensationStack stack;
  private final StatusBoard status;
  private final StepRunner steps;
  private final StartedPhases started = new StartedPhases();
  private final Notices notices;
  private final Rollback rollback;
  private final IncidentEscalation escalation;
  private final UndoDecisions undoDecisions;

  /** Wires the rollback's parts on the terminated run's state. Nothing here issues a command. */
  @WorkflowInit
  public RolloutRecoveryWorkflowImpl(RolloutRequest rollout, RolloutRecovery recovery) {
    this.request = rollout;
    this.recovery = recovery;
    this.plan = rollout.plan();
    String id = rollout.rolloutId();
    RolloutLeftover left = recovery.leftover();
    stack = CompensationStack.of(left.undos());
    status = new StatusBoard(rollout, stack);
    steps = new StepRunner(plan, id, stack);
    steps.recallContracted(left.contractedIn());
    // A rollback that had begun registered the rollback steps as undos already: not twice.
    boolean rollbackBegan = left.undos().stream().anyMatch(e -> e.undo() instanceof Undo.RunStep);
    if (!rollbackBegan) left.startedPhases().forEach(started::add);
    notices = new Notices(plan, id);
    rollback = new Rollback(plan, status, notices, stack, steps, started,
        new UndoRunner(plan, id, notices, status, steps, stack));
    escalation = new IncidentEscalation(plan, status, notices);
    undoDecisions = new UndoDecisions(plan, status, stack);
  }

  @Override
  public RolloutResult recover(RolloutRequest rollout, RolloutRecovery recovery) {
    Changes.decide();
    RolloutLeftover left = recovery.leftover();
    status.recall(left.decisions(), left.phaseIndex());
    status.log(recovery.who(), "recovered terminated run " + recovery.terminatedRunId()
        + " (stopped " + left.state() + ")", recovery.reason());
    TargetLocks locks = new TargetLocks();
    String[] lockRefused = new String[1];
    // Detached, as in a rollout: the locks outlive a cancel request until the rollback is done.
    Workflow.newDetachedCancellationScope(() -> {
      List<String> ended = locks.endHeldBy(plan, rollout.rolloutId(), recovery.terminatedRunId());
      if (!ended.isEmpty()) {
        status.log("system", "ended the target locks the terminated run held", String.join(", ", ended));
      }
      try {
        locks.acquire(plan, rollout.rolloutId());
      } catch (ApplicationFailure refused) {
        lockRefused[0] = refused.getOriginalMessage();
      }
    }).run();
    status.startSearchAttributes();
    RollbackRequested why = new RollbackRequested(TRIGGER, "run " + recovery.terminatedRunId()
        + " was terminated (" + left.state() + where(left) + ") and its rollback skipped; recovered by "
        + recovery.who() + (recovery.reason() == null || recovery.reason().isBlank() ? "" : ": " + recovery.reason()));
    RolloutResult result = lockRefused[0] == null ? rollBack(why) : refused(why, lockRefused[0]);
    Workflow.newDetachedCancellationScope(() -> BackupRelease.releaseAll(rollout.rolloutId(), left.backups(), status)).run();
    status.finish(result);
    Workflow.newDetachedCancellationScope(locks::release).run();
    Workflow.await(Workflow::isEveryHandlerFinished);
    return result;
  }

  private String where(RolloutLeftover left) {
    return left.phaseIndex() < 0 ? "" : " in phase " + (left.phaseIndex() + 1) + " " + plan.phases().get(left.phaseIndex()).name();
  }

  private RolloutResult rollBack(RollbackRequested why) {
    RolloutResult[] undone = new RolloutResult[1];
    Workflow.newDetachedCancellationScope(() -> {
      IncidentEscalation.Incident incident = escalation.open(why);
      try {
        undone[0] = rollback.run(why);
      } finally {
        incident.close();
      }
    }).run();
    return undone[0];
  }

  /** Another rollout took a target meanwhile: undoing now would undo its work. Nothing runs. */
  private RolloutResult refused(RollbackRequested why, String locked) {
    String failed = locked + "; nothing was undone: recover again once that rollout has ended";
    status.log("system", "recovery refused", failed);
    notices.send(notices.onRollback(), Severity.CRITICAL, "RECOVERY REFUSED: " + plan.name(),
        failed + "; still to undo: " + stack.descriptions());
    return new RolloutResult(Outcome.ROLLBACK_FAILED, why.reason(), why.trigger(), failed, status.decisions());
  }

  @Override
  public RolloutStatus status() {
    return status.snapshot();
  }

  @Override
  public RolloutBrief brief() {
    return status.brief();
  }

  @Override
  public RolloutLeftover leftover() {
    return status.leftover(started.all().isEmpty() ? recovery.leftover().startedPhases() : started.all(),
        steps.contractedIn(), recovery.leftover().backups());
  }

  @Override
  public void validateRetryUndo(Actions.UndoAction action) {
    undoDecisions.validate(action, false);
  }

  @Override
  public RolloutBrief retryUndo(Actions.UndoAction action) {
    undoDecisions.request(UndoRequest.Kind.RETRY, action);
    return brief();
  }

  @Override
  public void validateSkipUndo(Actions.UndoAction action) {
    undoDecisions.validate(action, true);
  }

  @Override
  public RolloutBrief skipUndo(Actions.UndoAction action) {
    undoDecisions.request(UndoRequest.Kind.SKIP, action);
    return brief();
  }

  @Override
  public void validateMarkUndoDone(Actions.UndoAction action) {
    undoDecisions.validate(action, true);
  }

  @Override
  public RolloutBrief markUndoDone(Actions.UndoAction action) {
    undoDecisions.request(UndoRequest.Kind.MARK_DONE, action);
    return brief();
  }
}
