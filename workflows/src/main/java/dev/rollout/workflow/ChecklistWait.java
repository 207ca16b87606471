package dev.rollout.workflow;

import dev.rollout.plan.Step;
import java.util.List;

/** Waits for a checklist item to be confirmed, the triggers watched meanwhile (on the guard). */
final class ChecklistWait {
  private final ChecklistBox checklists;
  private final StatusBoard status;
  private final OperatorControls controls;
  private final WatchedWait waits;
  private final GuardingTriggers guarding;

  ChecklistWait(ChecklistBox checklists, StatusBoard status, OperatorControls controls, WatchedWait waits,
      GuardingTriggers guarding) {
    this.checklists = checklists;
    this.status = status;
    this.controls = controls;
    this.waits = waits;
    this.guarding = guarding;
  }

  void confirm(Step.Checklist item) {
    String id = status.newWaitId(RolloutStatus.WaitKind.CHECKLIST);
    checklists.open(item, id);
    status.waitFor(RolloutState.WAITING_FOR_CHECKLIST, new RolloutStatus.WaitingFor(
        RolloutStatus.WaitKind.CHECKLIST, item.roles(), List.of(), 1, null, item.item(), id, List.of()));
    if (TriggerGuard.inUse()) {
      waits.waitWatching(null, checklists::confirmed, guarding.now());
    } else {
      controls.await(checklists::confirmed);
    }
    checklists.close();
    status.set(RolloutState.RUNNING_STEP, null);
  }
}
