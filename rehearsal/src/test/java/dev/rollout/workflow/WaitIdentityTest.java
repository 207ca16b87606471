package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;
import static dev.rollout.workflow.RefusalTypesTest.assertRefusedAs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Plan;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.Scenario;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An answer names the one wait it answers: one for a past wait, another phase or another run is
 * refused; the same answer sent twice is counted once; actions that change the course need a role.
 */
class WaitIdentityTest {
  private static final String NOT_NOW = "java.lang.IllegalStateException";
  private static final String FORBIDDEN = "java.lang.SecurityException";

  private static Plan twoApprovals() {
    return TestPlans.plan("shop", List.of(),
        phase("Canary").entry(TestPlans.approval(1, "devops", "engineering-lead")).steps(TestPlans.traffic(10))
            .bake(Duration.ofHours(1)).skipBakeRoles("devops").build(),
        phase("Everyone").entry(TestPlans.approval(2, "devops", "engineering-lead", "product-manager"))
            .steps(TestPlans.traffic(100)).build());
  }

  @Test
  void anApprovalForAPastWaitOrAnotherPhaseIsRefusedAndARepeatIsCountedOnce() {
    try (Rehearsal rehearsal = Rehearsal.open(Scenario.HAPPY)) {
      RolloutWorkflow wf = rehearsal.start(twoApprovals(), "alice");
      RolloutStatus first = Poll.state(wf, RolloutState.WAITING_FOR_APPROVAL);
      String canary = first.waitingFor().id();
      assertThat(canary).contains("/p1/entry-approval");
      assertRefusedAs(() -> wf.approve(new Actions.Approve("bob", "devops", null, canary.replace("/p1/", "/p2/"))),
          NOT_NOW, "this answers wait");

      wf.approve(new Actions.Approve("bob", "devops", "go", canary));
      rehearsal.env().sleep(Duration.ofHours(1).plusMinutes(1));
      RolloutStatus second = Poll.until(wf::status,
          s -> s.state() == RolloutState.WAITING_FOR_APPROVAL && s.phaseIndex() == 1);
      String everyone = second.waitingFor().id();
      assertThat(everyone).isNotEqualTo(canary).contains("/p2/entry-approval");

      // bob's first approval again (a retry arriving late): answered as accepted, counted nowhere
      RolloutBrief afterRepeat = wf.approve(new Actions.Approve("bob", "devops", "go", canary));
      assertThat(afterRepeat.waitingFor().approvedBy()).isEmpty();
      // someone else answering the past wait is refused: it is over
      assertRefusedAs(() -> wf.approve(new Actions.Approve("carol", "engineering-lead", null, canary)),
          NOT_NOW, "this answers wait " + canary);

      RolloutBrief once = wf.approve(new Actions.Approve("carol", "engineering-lead", null, everyone));
      RolloutBrief twice = wf.approve(new Actions.Approve("carol", "engineering-lead", null, everyone));
      assertThat(once.waitingFor().approvedBy()).containsExactly(new RolloutStatus.Approver("engineering-lead", "carol"));
      assertThat(twice.waitingFor().approvedBy()).containsExactly(new RolloutStatus.Approver("engineering-lead", "carol"));
      assertThat(twice.state()).isEqualTo(RolloutState.WAITING_FOR_APPROVAL);

      wf.approve(new Actions.Approve("dave", "product-manager", null, everyone));
      RolloutResult result = WorkflowStub.fromTyped(wf).getResult(RolloutResult.class);
      assertThat(result.outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(result.decisions()).filteredOn(d -> d.who().equals("carol (engineering-lead)")).hasSize(1);
      assertThat(result.decisions()).filteredOn(d -> d.who().equals("bob (devops)")).hasSize(1);
      // each approval in the log names the wait it answered and the phase, as data
      assertThat(result.decisions()).filteredOn(d -> d.who().equals("bob (devops)")).singleElement()
          .satisfies(d -> assertThat(d.waitId()).isEqualTo(canary))
          .satisfies(d -> assertThat(d.phaseIndex()).isZero());
      assertThat(result.decisions()).filteredOn(d -> d.who().equals("carol (engineering-lead)")).singleElement()
          .satisfies(d -> assertThat(d.waitId()).isEqualTo(everyone))
          .satisfies(d -> assertThat(d.phaseIndex()).isEqualTo(1));
      assertThat(result.decisions()).noneMatch(Decision::rollback);
    }
  }

  @Test
  void anApprovalForAnotherRunOfTheSameTargetIsRefused() {
    Plan plan = twoApprovals();
    try (Rehearsal rehearsal = Rehearsal.open(Scenario.HAPPY)) {
      RolloutWorkflow first = rehearsal.start(plan, "alice");
      String oldWait = Poll.state(first, RolloutState.WAITING_FOR_APPROVAL).waitingFor().id();
      first.abort(new Actions.Abort("bob", "wrong build", "devops"));
      WorkflowStub.fromTyped(first).getResult(RolloutResult.class);

      RolloutWorkflow second = rehearsal.start(plan, "alice");
      String newWait = Poll.state(second, RolloutState.WAITING_FOR_APPROVAL).waitingFor().id();
      assertThat(newWait).isNotEqualTo(oldWait);
      assertRefusedAs(() -> second.approve(new Actions.Approve("bob", "devops", null, oldWait)), NOT_NOW, "this answers wait");
      second.abort(new Actions.Abort("bob", "test over", "devops"));
    }
  }

  @Test
  void decideResumeAbortNeedAPlanRoleAndSkipBakeOnlyDuringABake() {
    try (Rehearsal rehearsal = Rehearsal.open(Scenario.HAPPY)) {
      RolloutWorkflow wf = rehearsal.start(twoApprovals(), "alice");
      String wait = Poll.state(wf, RolloutState.WAITING_FOR_APPROVAL).waitingFor().id();
      assertRefusedAs(() -> wf.abort(new Actions.Abort("mallory", "because", null)), FORBIDDEN, "needs one of the plan's roles");
      assertRefusedAs(() -> wf.abort(new Actions.Abort("mallory", "because", "intern")), FORBIDDEN, "may not abort");

      // paused while the approval is pending: the rollout stops before its first step, not in a bake
      wf.pause(new Actions.Operator("bob", "hold on"));
      wf.approve(new Actions.Approve("bob", "devops", null, wait));
      Poll.until(wf::status, s -> s.state() == RolloutState.PAUSED);
      assertRefusedAs(() -> wf.skipBake(new Actions.SkipBake("bob", "devops", null)), NOT_NOW, "no bake is running");
      assertRefusedAs(() -> wf.resume(new Actions.Operator("bob", "go on")), FORBIDDEN, "needs one of the plan's roles");
      wf.resume(new Actions.Operator("bob", "go on", "devops"));

      Poll.state(wf, RolloutState.BAKING);
      assertRefusedAs(() -> wf.skipBake(new Actions.SkipBake("bob", null, "flat")), FORBIDDEN, "cannot skip the bake");
      assertRefusedAs(() -> wf.skipBake(new Actions.SkipBake("bob", "product-manager", "flat")), FORBIDDEN, "cannot skip the bake");
      wf.skipBake(new Actions.SkipBake("bob", "devops", "flat"));
      Poll.until(wf::status, s -> s.state() == RolloutState.WAITING_FOR_APPROVAL && s.phaseIndex() == 1);
      wf.abort(new Actions.Abort("bob", "test over", "devops"));
      assertThat(WorkflowStub.fromTyped(wf).getResult(RolloutResult.class).outcome()).isEqualTo(Outcome.ROLLED_BACK);
    }
  }
}
