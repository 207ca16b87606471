package dev.rollout.workflow;

import dev.rollout.plan.Phase;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Step;
import java.time.Duration;

/**
 * One phase, in the plan's order: window, entry approval, steps, bake (triggers watched, gates
 * judged at its end), exit approval. Anything that calls for a rollback throws {@link
 * RollbackRequested}; a hold answered with RETRY runs the steps and the bake again.
 */
final class PhaseRunner {
  private final Plan plan;
  private final StatusBoard status;
  private final OperatorControls controls;
  private final Notices notices;
  private final StartedPhases started;
  private final PhaseWindow window;
  private final ApprovalWait approvals;
  private final ChecklistWait checklists;
  private final BaselineCapture baselines;
  private final ChangeStep changes;
  private final BakeAndJudge bakes;

  PhaseRunner(Plan plan, StatusBoard status, OperatorControls controls, Notices notices, StartedPhases started,
      PhaseWindow window, ApprovalWait approvals, ChecklistWait checklists, BaselineCapture baselines,
      ChangeStep changes, BakeAndJudge bakes) {
    this.plan = plan;
    this.status = status;
    this.controls = controls;
    this.notices = notices;
    this.started = started;
    this.window = window;
    this.approvals = approvals;
    this.checklists = checklists;
    this.baselines = baselines;
    this.changes = changes;
    this.bakes = bakes;
  }

  void run(int index) {
    Phase phase = plan.phases().get(index);
    status.enterPhase(index);
    window.awaitOpen(phase);
    if (phase.entryApproval() != null) {
      approvals.collect(phase.entryApproval(), "entry approval of phase " + phase.name(), "entry-approval");
    }
    baselines.before(phase);
    started.add(index);
    while (true) {
      try {
        for (int s = 0; s < phase.steps().size(); s++) step(index, s, phase);
        if (!phase.bake().isZero() || !phase.gates().isEmpty()) {
          bakes.run(phase, "bake of phase " + phase.name(), phase.bake(), phase.gates(), null);
        }
        break;
      } catch (RetryPhase retry) {
        status.log("system", "retrying phase " + phase.name(), null);
      }
    }
    if (phase.exitApproval() != null) {
      approvals.collect(phase.exitApproval(), "exit approval of phase " + phase.name(), "exit-approval");
    }
  }

  private void step(int index, int s, Phase phase) {
    Step step = phase.steps().get(s);
    String label = Steps.label(step);
    controls.checkAbort();
    window.beforeStep(phase, step, label);
    status.set(RolloutState.RUNNING_STEP, label);
    switch (Steps.role(step)) {
      case BAKE -> {
        Step.Bake b = (Step.Bake) step;
        bakes.run(phase, label, b.duration() == null ? Duration.ZERO : b.duration(), b.gates(), b.analysis());
      }
      case CHECKLIST -> checklists.confirm((Step.Checklist) step);
      case NOTICE -> {
        Step.Notify n = (Step.Notify) step;
        notices.send(n.notifier(), n.severity(), phase.name() + ": " + label, n.message());
      }
      case CHANGE -> changes.run(index, Steps.key(index, s), step, label, phase);
    }
  }

  /** A hold answered with RETRY: the phase runs its steps and bake again. */
  static final class RetryPhase extends RuntimeException {
    RetryPhase() {
      super("retry", null, false, false);
    }
  }
}
