package dev.rollout.workflow;

import dev.rollout.plan.Phase;
import dev.rollout.plan.Severity;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;

/**
 * Runs a plan phase by phase ({@link PhaseRunner}); anything that calls for a rollback ends in
 * {@link Rollback}, run in a detached scope so that it completes even if the workflow is cancelled.
 * The update handlers only record what people asked for; the running rollout acts on it at its
 * next wait. Validators refuse bad requests before they enter history.
 */
public class RolloutWorkflowImpl implements RolloutWorkflow {
  private final Rollout r;

  @WorkflowInit
  public RolloutWorkflowImpl(RolloutRequest request) {
    r = Rollout.start(request);
  }

  @Override
  public RolloutResult run(RolloutRequest request) {
    RolloutResult result;
    TargetLocks locks = new TargetLocks();
    locks.acquire(r.plan(), r.request().rolloutId());
    try {
      PhaseRunner phases = new PhaseRunner(r);
      for (int i = 0; i < r.plan().phases().size(); i++) phases.run(i);
      new AfterWatch(r).run();
      // An abort that arrived during the last step or gate check still rolls back.
      r.controls().checkAbort();
      result = new RolloutResult(Outcome.COMPLETED, null, null, null, r.status().decisions());
      r.notices().send(r.notices().onComplete(), Severity.INFO, r.plan().name() + " completed",
          "all " + r.plan().phases().size() + " phases done");
    } catch (RollbackRequested why) {
      RolloutResult[] undone = new RolloutResult[1];
      Workflow.newDetachedCancellationScope(() -> undone[0] = new Rollback(r).run(why)).run();
      result = undone[0];
    }
    r.status().finish(result);
    locks.release();
    // Let an update that arrived at the very end answer its caller before the run closes.
    Workflow.await(Workflow::isEveryHandlerFinished);
    return result;
  }

  @Override
  public RolloutStatus status() {
    return r.status().snapshot();
  }

  @Override
  public void validateApprove(Actions.Approve action) {
    r.approvals().validateApprove(action);
  }

  @Override
  public RolloutStatus approve(Actions.Approve action) {
    r.approvals().approve(action);
    r.status().log(who(action.user(), action.role()), "approved " + r.approvals().label(), action.comment());
    r.status().waitFor(RolloutState.WAITING_FOR_APPROVAL, r.approvals().waitingFor());
    return status();
  }

  @Override
  public void validateReject(Actions.Reject action) {
    r.approvals().validateReject(action);
  }

  @Override
  public RolloutStatus reject(Actions.Reject action) {
    r.approvals().reject(action);
    r.status().log(who(action.user(), action.role()), "rejected " + r.approvals().label(), action.comment());
    return status();
  }

  @Override
  public void validateConfirm(Actions.Confirm action) {
    r.checklists().validate(action);
  }

  @Override
  public RolloutStatus confirm(Actions.Confirm action) {
    r.status().log(who(action.user(), action.role()), "confirmed " + r.checklists().item(), action.comment());
    r.checklists().confirm(action);
    return status();
  }

  @Override
  public void validatePause(Actions.Operator action) {
    requireUser(action.user());
    requireRunning();
    if (r.controls().paused()) throw Refusals.notNow("the rollout is already paused");
  }

  @Override
  public RolloutStatus pause(Actions.Operator action) {
    r.controls().pause();
    r.status().log(action.user(), "paused", action.comment());
    return status();
  }

  @Override
  public void validateResume(Actions.Operator action) {
    requireUser(action.user());
    if (!r.controls().paused()) throw Refusals.notNow("the rollout is not paused");
  }

  @Override
  public RolloutStatus resume(Actions.Operator action) {
    r.controls().resume();
    r.status().log(action.user(), "resumed", action.comment());
    return status();
  }

  @Override
  public void validateAbort(Actions.Abort action) {
    requireUser(action.user());
    if (action.reason() == null || action.reason().isBlank()) throw Refusals.invalid("reason is required");
    requireRunning();
  }

  @Override
  public RolloutStatus abort(Actions.Abort action) {
    r.status().log(action.user(), "aborted", action.reason());
    r.controls().abort(action.reason() + " (by " + action.user() + ")");
    return status();
  }

  @Override
  public void validateSkipBake(Actions.SkipBake action) {
    requireUser(action.user());
    if (r.status().state() != RolloutState.BAKING && r.status().state() != RolloutState.PAUSED) {
      throw Refusals.notNow("no bake is running (state " + r.status().state() + ")");
    }
    Phase phase = r.plan().phases().get(r.status().phaseIndex());
    if (!phase.skipBakeRoles().contains(action.role())) {
      throw Refusals.forbidden("role '" + action.role() + "' cannot skip the bake of phase "
          + phase.name() + " (roles allowed: " + phase.skipBakeRoles() + ")");
    }
  }

  @Override
  public RolloutStatus skipBake(Actions.SkipBake action) {
    r.controls().requestSkipBake();
    r.status().log(who(action.user(), action.role()), "skipped the rest of the bake", action.comment());
    return status();
  }

  @Override
  public void validateDecide(Actions.Decide action) {
    requireUser(action.user());
    if (action.choice() == null) throw Refusals.invalid("choice is required: ROLLBACK, RETRY or CONTINUE");
    if (r.status().state() != RolloutState.ON_HOLD) {
      throw Refusals.notNow("the rollout is not on hold (state " + r.status().state() + ")");
    }
    if (r.controls().decided()) throw Refusals.notNow("a decision on this hold is already recorded");
  }

  @Override
  public RolloutStatus decide(Actions.Decide action) {
    r.controls().decide(action.choice());
    r.status().log(action.user(), "decided " + action.choice(), action.comment());
    return status();
  }

  private void requireRunning() {
    RolloutState s = r.status().state();
    if (s.terminal() || s == RolloutState.ROLLING_BACK) {
      throw Refusals.notNow("the rollout is " + s + "; nothing to change any more");
    }
  }

  private static void requireUser(String user) {
    if (user == null || user.isBlank()) throw Refusals.invalid("user is required");
  }

  private static String who(String user, String role) {
    return role == null ? user : user + " (" + role + ")";
  }
}
