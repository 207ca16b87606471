package dev.rollout.workflow;

import dev.rollout.plan.Plan;
import java.util.Set;

/** Everything one running rollout holds, shared by the classes that run its parts. */
record Rollout(
    RolloutRequest request,
    StatusBoard status,
    OperatorControls controls,
    CompensationStack stack,
    StepRunner steps,
    GateBinder binder,
    Baker baker,
    GateJudge judge,
    ApprovalBox approvals,
    ChecklistBox checklists,
    Notices notices,
    Set<Integer> startedPhases) {

  static Rollout start(RolloutRequest request) {
    Plan plan = request.plan();
    String id = request.rolloutId();
    CompensationStack stack = new CompensationStack();
    StatusBoard status = new StatusBoard(request, stack);
    OperatorControls controls = new OperatorControls();
    PhaseTargets targets = new PhaseTargets(plan, status);
    GateBinder binder = new GateBinder(plan, id, targets);
    Notices notices = new Notices(plan, id);
    return new Rollout(
        request,
        status,
        controls,
        stack,
        new StepRunner(plan, id, stack),
        binder,
        new Baker(id, targets, status, controls, notices),
        new GateJudge(id, targets, status, binder),
        new ApprovalBox(plan.roles(), request.startedBy()),
        new ChecklistBox(plan.roles()),
        notices,
        new java.util.TreeSet<>());
  }

  Plan plan() {
    return request.plan();
  }

  /** The innermost message of a failure chain: what actually went wrong. */
  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    String m = t instanceof io.temporal.failure.ApplicationFailure a ? a.getOriginalMessage() : t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m;
  }
}
