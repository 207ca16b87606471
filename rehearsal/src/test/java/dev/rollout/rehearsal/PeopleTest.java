package dev.rollout.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.workflow.Actions;
import dev.rollout.workflow.RolloutBrief;
import dev.rollout.workflow.RolloutState;
import dev.rollout.workflow.RolloutStatus;
import dev.rollout.workflow.RolloutStatus.WaitingFor;
import dev.rollout.workflow.RolloutWorkflow;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Plans;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowUpdateException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rehearsal's people answer from reads of what the rollout waits for, and a read can race an approval that was just
 * accepted: it must not make a role answer twice nor approve past the quorum.
 */
class PeopleTest {
  private static final List<String> ROLES = List.of("Incident Commander", "Engineering Lead", "DevOps", "Product Manager");

  /** Records the approvals sent; every other action is unused here. */
  static final class ApprovalsSent implements RolloutWorkflow {
    final List<String> roles = new ArrayList<>();
    final List<Actions.Confirm> confirmed = new ArrayList<>();
    /** The item the rollout waits for: a confirmation of another is refused, as the workflow's validator does. */
    String waitsFor;

    @Override public RolloutBrief approve(Actions.Approve a) { roles.add(a.role()); return null; }
    @Override public dev.rollout.workflow.RolloutResult run(dev.rollout.workflow.RolloutRequest r) { throw new UnsupportedOperationException(); }
    @Override public RolloutStatus status() { throw new UnsupportedOperationException(); }
    @Override public RolloutBrief brief() { throw new UnsupportedOperationException(); }
    @Override public dev.rollout.workflow.RolloutLeftover leftover() { throw new UnsupportedOperationException(); }
    @Override public void validateApprove(Actions.Approve a) {}
    @Override public RolloutBrief reject(Actions.Reject a) { throw new UnsupportedOperationException(); }
    @Override public void validateReject(Actions.Reject a) {}
    @Override public RolloutBrief confirm(Actions.Confirm a) {
      if (!a.item().equals(waitsFor)) {
        throw new WorkflowUpdateException(WorkflowExecution.getDefaultInstance(), "u-1", "confirm",
            new IllegalStateException("the rollout waits for '" + waitsFor + "'"));
      }
      confirmed.add(a);
      return null;
    }
    @Override public void validateConfirm(Actions.Confirm a) {}
    @Override public RolloutBrief pause(Actions.Operator a) { throw new UnsupportedOperationException(); }
    @Override public void validatePause(Actions.Operator a) {}
    @Override public RolloutBrief resume(Actions.Operator a) { throw new UnsupportedOperationException(); }
    @Override public void validateResume(Actions.Operator a) {}
    @Override public RolloutBrief abort(Actions.Abort a) { throw new UnsupportedOperationException(); }
    @Override public void validateAbort(Actions.Abort a) {}
    @Override public RolloutBrief skipBake(Actions.SkipBake a) { throw new UnsupportedOperationException(); }
    @Override public void validateSkipBake(Actions.SkipBake a) {}
    @Override public RolloutBrief decide(Actions.Decide a) { throw new UnsupportedOperationException(); }
    @Override public void validateDecide(Actions.Decide a) {}
    @Override public RolloutBrief retryUndo(Actions.UndoAction a) { throw new UnsupportedOperationException(); }
    @Override public void validateRetryUndo(Actions.UndoAction a) {}
    @Override public RolloutBrief skipUndo(Actions.UndoAction a) { throw new UnsupportedOperationException(); }
    @Override public void validateSkipUndo(Actions.UndoAction a) {}
    @Override public RolloutBrief markUndoDone(Actions.UndoAction a) { throw new UnsupportedOperationException(); }
    @Override public void validateMarkUndoDone(Actions.UndoAction a) {}
  }

  /** @param approvedBy {@code role=user} of each approval already counted */
  private static RolloutBrief exitApprovalOfWave2(String... approvedBy) {
    List<RolloutStatus.Approver> approvers = java.util.Arrays.stream(approvedBy)
        .map(a -> new RolloutStatus.Approver(a.split("=", 2)[0], a.split("=", 2)[1])).toList();
    WaitingFor w = new WaitingFor(RolloutStatus.WaitKind.EXIT_APPROVAL, ROLES, approvers, 2, null, "exit approval of phase wave-2-beta");
    return new RolloutBrief(RolloutState.WAITING_FOR_APPROVAL, 1, "wave-2-beta", null, w, null, null, 7);
  }

  @Test
  void aReadThatMissesApprovalsJustAcceptedNeverAnswersARoleTwiceNorPastTheQuorum() {
    ApprovalsSent workflow = new ApprovalsSent();
    People people = new People(Scenario.HAPPY, workflow, null);

    assertThat(people.answer(exitApprovalOfWave2())).isEqualTo(People.ANSWERED);
    assertThat(people.answer(exitApprovalOfWave2("Incident Commander=rehearsal-Incident Commander")))
        .isEqualTo(People.ANSWERED);
    // reads racing the two approvals just accepted: they show none of them, then only the first
    assertThat(people.answer(exitApprovalOfWave2())).isEqualTo(People.PENDING);
    assertThat(people.answer(exitApprovalOfWave2("Incident Commander=rehearsal-Incident Commander")))
        .isEqualTo(People.PENDING);
    // the quorum is met while the rollout still shows the wait (it is sending its notice)
    assertThat(people.answer(exitApprovalOfWave2("Incident Commander=rehearsal-Incident Commander",
        "Engineering Lead=rehearsal-Engineering Lead"))).isEqualTo(People.PENDING);

    assertThat(workflow.roles).containsExactly("Incident Commander", "Engineering Lead");
  }

  private static RolloutBrief checklistWait(String item, String role, String waitId) {
    WaitingFor w = new WaitingFor(RolloutStatus.WaitKind.CHECKLIST, List.of(role), List.of(), 1, null, item, waitId, List.of());
    return new RolloutBrief(RolloutState.WAITING_FOR_CHECKLIST, 0, "wave-1-internal", "checklist", w, null, null, 3);
  }

  @Test
  void aPersonWorkingDownAChecklistConfirmsTheNextItemWithoutLookingAgainAndNeverTwice() throws Exception {
    Plan canary = Plans.load(Path.of("..", "plans", "batch-patches-canary.yaml"));
    ApprovalsSent workflow = new ApprovalsSent();
    People people = new People(Scenario.HAPPY, workflow, canary);
    String first = "All phases 00-E complete and tested (95+ tests, 100% pass)";
    String second = "Code review completed (2+ reviewers)";
    String third = "Security audit passed (no hardcoded secrets, no SQL injection, etc)";

    workflow.waitsFor = first;
    assertThat(people.answer(checklistWait(first, "Development Lead", "w-1"))).isEqualTo(People.ANSWERED);
    // the rollout opened the next item in the task that accepted the first
    workflow.waitsFor = second;
    assertThat(people.answerNext()).isEqualTo(People.ANSWERED);
    // a read racing that answer still shows the second item: it is not confirmed again
    assertThat(people.answer(checklistWait(second, "Development Lead", "w-2"))).isEqualTo(People.PENDING);
    // the rollout has not opened the third yet: the refusal ends the run, the driver looks
    assertThat(people.answerNext()).isNull();
    workflow.waitsFor = third;
    assertThat(people.answer(checklistWait(third, "CISO", "w-3"))).isEqualTo(People.ANSWERED);

    assertThat(workflow.confirmed).extracting(Actions.Confirm::item).containsExactly(first, second, third);
    assertThat(workflow.confirmed).extracting(Actions.Confirm::role).containsExactly("Development Lead", "Development Lead", "CISO");
    assertThat(workflow.confirmed).extracting(Actions.Confirm::waitId).containsExactly("w-1", null, "w-3");
  }
}
