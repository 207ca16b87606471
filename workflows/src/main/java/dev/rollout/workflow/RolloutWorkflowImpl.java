package dev.rollout.workflow;

import dev.rollout.plan.Phase;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Severity;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;

/**
 * Runs a plan phase by phase ({@link PhaseRunner}); anything that calls for a rollback ends in
 * {@link Rollback}, run in a detached scope so that it completes even if the workflow is cancelled.
 * The update handlers only record what people asked for; the running rollout acts on it at its
 * next wait. Validators refuse bad requests before they enter history.
 */
public class RolloutWorkflowImpl implements RolloutWorkflow {
  private final RolloutRequest request;
  private final Plan plan;
  private final CompensationStack stack;
  private final StatusBoard status;
  private final OperatorControls controls;
  private final Notices notices;
  private final StepRunner steps;
  private final ApprovalBox approvals;
  private final ChecklistBox checklists;
  private final PhaseRunner phases;
  private final AfterWatch afterWatch;
  private final Rollback rollback;
  private final IncidentEscalation escalation;
  private final UndoDecisions undoDecisions;
  private final StartedPhases started;

  /** Wires the parts of one rollout; each gets only what it uses. Nothing here issues a command. */
  @WorkflowInit
  public RolloutWorkflowImpl(RolloutRequest request) {
    this.request = request;
    this.plan = request.plan();
    String id = request.rolloutId();
    stack = new CompensationStack();
    status = new StatusBoard(request, stack);
    controls = new OperatorControls();
    status.showPauseOf(controls);
    PhaseTargets targets = new PhaseTargets(plan, status);
    GateBinder binder = new GateBinder(plan, id, targets);
    notices = new Notices(plan, id);
    steps = new StepRunner(plan, id, stack);
    approvals = new ApprovalBox(plan.roles(), request.startedBy());
    checklists = new ChecklistBox(plan.roles());
    started = new StartedPhases();

    // Severity tiers (notify | hold | rollback) act through the guard, so in every wait.
    TriggerGuard guard = new TriggerGuard(id, targets, status, controls, new TriggerTiers(status, notices));
    WatchedWait waits = new WatchedWait(status, notices, controls, guard);
    Hold hold = new Hold(status, notices, controls, waits);
    GuardingTriggers guarding = new GuardingTriggers(plan, binder, status, started);
    Baker baker = new Baker(status, controls, guard, waits, hold);
    GateJudge judge = new GateJudge(id, targets, status, binder);
    LiveStateCheck liveState = new LiveStateCheck(plan, id, steps, status, notices);

    phases = new PhaseRunner(plan, status, controls, notices, started,
        new PhaseWindow(plan, status, controls, waits, guarding),
        new ApprovalWait(approvals, status, notices, waits, guarding),
        new ChecklistWait(checklists, status, controls, waits, guarding),
        new BaselineCapture(binder, started, status, controls, hold, guarding),
        new ChangeStep(steps, liveState, status, controls, hold, guarding),
        new BakeAndJudge(baker, judge, binder, status, controls, hold, guarding));
    afterWatch = new AfterWatch(plan, binder, status, waits);
    rollback = new Rollback(plan, status, notices, stack, steps, started,
        new UndoRunner(plan, id, notices, status, steps, stack));
    escalation = new IncidentEscalation(plan, status, notices);
    undoDecisions = new UndoDecisions(plan, status, stack);
  }

  /**
   * Since {@value Changes#NOTHING_FAILS} nothing fails the workflow: any failure that escapes a
   * phase (an activity's, a bug's, a cancel request's) becomes a rollback, so the undo list is
   * never lost and the rollout always ends in a state a person understands. A Temporal
   * <em>terminate</em> is the only way to end it without rolling back; the API never terminates.
   */
  @Override
  public RolloutResult run(RolloutRequest request) {
    Changes changes = Changes.decide();
    RolloutResult result;
    TargetLocks locks = new TargetLocks();
    // Locks first: a rollout refused because a target is locked never lists as running. Taken and
    // released in detached scopes: a Temporal cancel (an abort) must not cancel the lock children,
    // or another rollout could start on the target while this one is still rolling back.
    Workflow.newDetachedCancellationScope(() -> locks.acquire(plan, request.rolloutId())).run();
    status.startSearchAttributes();
    try {
      for (int i = 0; i < plan.phases().size(); i++) phases.run(i);
      afterWatch.run();
      // An abort that arrived during the last step or gate check still rolls back.
      controls.checkAbort();
      result = new RolloutResult(Outcome.COMPLETED, null, null, null, status.decisions());
      notices.send(notices.onComplete(), Severity.INFO, plan.name() + " completed",
          "all " + plan.phases().size() + " phases done");
    } catch (LiveStateCheck.StoppedBeforeChange stopped) {
      result = stopped.result();
    } catch (RollbackRequested why) {
      result = rollBack(why);
    } catch (CanceledFailure cancelled) {
      if (!changes.nothingFails()) throw cancelled;
      result = rollBack(new RollbackRequested("operator abort", "cancel requested through Temporal"));
    } catch (RuntimeException unexpected) {
      if (!changes.nothingFails()) throw unexpected;
      result = rollBack(new RollbackRequested("workflow error", "the rollout met an error it could not handle: "
          + Failures.rootMessage(unexpected)));
    }
    if (changes.safeRollback()) Workflow.newDetachedCancellationScope(this::releaseBackups).run();
    status.finish(result);
    Workflow.newDetachedCancellationScope(locks::release).run();
    // Let an update that arrived at the very end answer its caller before the run closes.
    Workflow.await(Workflow::isEveryHandlerFinished);
    return result;
  }

  /** The rollout ended: it can no longer roll back to its backups, so retention may prune them. */
  private void releaseBackups() {
    BackupRelease.releaseAll(request.rolloutId(), steps.backups(), status);
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

  @Override
  public RolloutStatus status() {
    return status.snapshot();
  }

  @Override
  public RolloutBrief brief() {
    return status.brief();
  }

  /** A query: no command. Answered for a terminated run too, from its replayed history. */
  @Override
  public RolloutLeftover leftover() {
    return status.leftover(started.all(), steps.contractedIn(), steps.backups());
  }

  @Override
  public void validateApprove(Actions.Approve action) {
    if (approvals.repeatsClosed(action)) return;
    requireNotRollingBack();
    approvals.validateApprove(action);
  }

  @Override
  public RolloutBrief approve(Actions.Approve action) {
    if (!approvals.approve(action)) return brief(); // the same approval again: counted once
    status.log(who(action.user(), action.role()), "approved " + approvals.label(), action.comment());
    // Only while the rollout still waits for it: an approval never sets a rollback's state back.
    if (status.state() == RolloutState.WAITING_FOR_APPROVAL) {
      status.waitFor(RolloutState.WAITING_FOR_APPROVAL, approvals.waitingFor());
    }
    return brief();
  }

  @Override
  public void validateReject(Actions.Reject action) {
    requireNotRollingBack();
    approvals.validateReject(action);
  }

  @Override
  public RolloutBrief reject(Actions.Reject action) {
    if (approvals.rejection() != null) return brief();
    approvals.reject(action);
    status.log(who(action.user(), action.role()), "rejected " + approvals.label(), action.comment());
    return brief();
  }

  @Override
  public void validateConfirm(Actions.Confirm action) {
    requireNotRollingBack();
    checklists.validate(action);
  }

  @Override
  public RolloutBrief confirm(Actions.Confirm action) {
    String item = checklists.item();
    if (checklists.confirm(action)) {
      status.log(who(action.user(), action.role()), "confirmed " + item, action.comment());
    }
    return brief();
  }

  @Override
  public void validatePause(Actions.Operator action) {
    requireUser(action.user());
    requireRunning();
    if (controls.paused()) throw Refusals.notNow("the rollout is already paused");
  }

  @Override
  public RolloutBrief pause(Actions.Operator action) {
    controls.pause();
    status.log(action.user(), "paused", action.comment());
    return brief();
  }

  @Override
  public void validateResume(Actions.Operator action) {
    requireUser(action.user());
    requireNotRollingBack();
    if (!controls.paused()) throw Refusals.notNow("the rollout is not paused");
    requirePlanRole(action.role(), "resume");
  }

  @Override
  public RolloutBrief resume(Actions.Operator action) {
    controls.resume();
    status.log(who(action.user(), action.role()), "resumed", action.comment());
    return brief();
  }

  @Override
  public void validateAbort(Actions.Abort action) {
    requireUser(action.user());
    if (action.reason() == null || action.reason().isBlank()) throw Refusals.invalid("reason is required");
    requireRunning();
    requirePlanRole(action.role(), "abort");
  }

  @Override
  public RolloutBrief abort(Actions.Abort action) {
    status.log(who(action.user(), action.role()), "aborted", action.reason());
    controls.abort(action.reason() + " (by " + action.user() + ")");
    return brief();
  }

  @Override
  public void validateSkipBake(Actions.SkipBake action) {
    requireUser(action.user());
    requireNotRollingBack();
    // Only during a bake (paused in it too): never a later bake from a pause between steps.
    boolean baking = status.state() == RolloutState.BAKING
        || (status.state() == RolloutState.PAUSED && status.bakeEndsAt() != null);
    if (!baking) throw Refusals.notNow("no bake is running (state " + status.state() + ")");
    if (controls.skipBakeRequested()) throw Refusals.notNow("skipping this bake is already requested");
    Phase phase = plan.phases().get(status.phaseIndex());
    if (!phase.skipBakeRoles().contains(action.role())) {
      throw Refusals.forbidden("role '" + action.role() + "' cannot skip the bake of phase "
          + phase.name() + " (roles allowed: " + phase.skipBakeRoles() + ")");
    }
  }

  @Override
  public RolloutBrief skipBake(Actions.SkipBake action) {
    controls.requestSkipBake();
    status.log(who(action.user(), action.role()), "skipped the rest of the bake", action.comment());
    return brief();
  }

  @Override
  public void validateDecide(Actions.Decide action) {
    requireUser(action.user());
    if (action.choice() == null) throw Refusals.invalid("choice is required: ROLLBACK, RETRY or CONTINUE");
    requireNotRollingBack();
    RolloutStatus.WaitingFor hold = status.waitingFor();
    if (status.state() != RolloutState.ON_HOLD || hold == null) {
      throw Refusals.notNow("the rollout is not on hold (state " + status.state() + ")"
          + (action.waitId() == null ? "" : "; " + action.waitId() + " is over"));
    }
    if (action.waitId() != null && !action.waitId().equals(hold.id())) {
      throw Refusals.notNow("this answers wait " + action.waitId() + ", but the rollout now holds on " + hold.id());
    }
    requirePlanRole(action.role(), "decide");
    if (controls.decided()) throw Refusals.notNow("a decision on this hold is already recorded");
  }

  @Override
  public RolloutBrief decide(Actions.Decide action) {
    controls.decide(action.choice());
    status.log(who(action.user(), action.role()), "decided " + action.choice(), action.comment());
    return brief();
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

  private void requireRunning() {
    RolloutState s = status.state();
    if (s.terminal() || s == RolloutState.ROLLING_BACK || s == RolloutState.ROLLBACK_BLOCKED) {
      throw Refusals.notNow("the rollout is " + s + "; nothing to change any more");
    }
  }

  /** During a rollback nothing but an abort is accepted: no answer may change its course. */
  private void requireNotRollingBack() {
    RolloutState s = status.state();
    if (s.terminal() || s == RolloutState.ROLLING_BACK || s.name().startsWith("ROLLBACK")) {
      throw Refusals.notNow("the rollout is " + s + "; nothing but an abort is accepted now");
    }
  }

  /**
   * Actions that change the course (decide, resume, abort) name one of the plan's roles; a plan
   * that names no roles lets anyone act.
   */
  private void requirePlanRole(String role, String action) {
    java.util.List<String> roles = plan.roles();
    if (roles.isEmpty()) return;
    if (role == null || role.isBlank()) {
      throw Refusals.forbidden(action + " needs one of the plan's roles " + roles + "; name yours");
    }
    if (!roles.contains(role)) {
      throw Refusals.forbidden("role '" + role + "' may not " + action + " (the plan's roles: " + roles + ")");
    }
  }

  private static void requireUser(String user) {
    if (user == null || user.isBlank()) throw Refusals.invalid("user is required");
  }

  private static String who(String user, String role) {
    return role == null ? user : user + " (" + role + ")";
  }
}
