package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.plan.Plan;
import dev.rollout.plan.TimeoutAction;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import dev.rollout.rehearsal.Scenario.Answer;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** People's answers: rejection, deadlines, escalation, quorum and who may approve. */
class ApprovalScenariosTest {

  private static Plan twoPhases(dev.rollout.plan.Approval entryOfSecond) {
    return TestPlans.plan("shop", List.of(),
        phase("Canary").steps(TestPlans.traffic(10)).bake(Duration.ofHours(1)).build(),
        phase("Everyone").entry(entryOfSecond).steps(TestPlans.traffic(100)).build());
  }

  private static Scenario answers(Map<String, Answer> approvals) {
    return new Scenario("answers", null, null, approvals, null, null, null);
  }

  @Test
  void aRejectedApprovalRollsBack() {
    RehearsalResult r = Rehearsal.run(twoPhases(TestPlans.approval(1, "devops")), answers(Map.of("Everyone", Answer.REJECT)));

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.result().trigger()).isEqualTo("approval rejected");
    assertThat(r.result().reason()).contains("entry approval of phase Everyone").contains("rehearsal-devops (devops)");
    assertThat(r.changes()).containsExactly("traffic.setWeight(main 10%)", "traffic.setWeight(main 0%)");
  }

  @Test
  void aDeadlinePassingWhenThePlanSaysAbortRollsBackAtTheDeadline() {
    Plan plan = twoPhases(TestPlans.approval(Duration.ofHours(4), TimeoutAction.ABORT, "devops"));
    RehearsalResult r = Rehearsal.run(plan, answers(Map.of("Everyone", Answer.NONE)));

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.result().trigger()).isEqualTo("approval deadline");
    assertThat(r.changes()).containsExactly("traffic.setWeight(main 10%)", "traffic.setWeight(main 0%)");
    // 1h bake, then 4h of waiting
    assertThat(r.calls().get(r.calls().size() - 1).at()).isBetween(
        r.startedAt().plus(Duration.ofHours(5)), r.startedAt().plus(Duration.ofHours(5).plusMinutes(1)));
  }

  @Test
  void aDeadlinePassingEscalatesAndKeepsWaiting() {
    Plan plan = twoPhases(TestPlans.approval(Duration.ofHours(4), TimeoutAction.ESCALATE, "product-manager"));
    try (Rehearsal rehearsal = Rehearsal.open(Scenario.HAPPY)) {
      RolloutWorkflow wf = rehearsal.start(plan, "alice");
      rehearsal.env().sleep(Duration.ofHours(1).plusMinutes(1));
      RolloutStatus waiting = Poll.state(wf, RolloutState.WAITING_FOR_APPROVAL);
      assertThat(waiting.waitingFor().until()).isNotNull();

      rehearsal.env().sleep(Duration.ofHours(5));
      RolloutStatus escalated = Poll.until(wf::status, s -> s.waitingFor() != null && s.waitingFor().until() == null);
      assertThat(escalated.state()).isEqualTo(RolloutState.WAITING_FOR_APPROVAL);
      assertThat(escalated.decisions()).anyMatch(d -> d.what().contains("escalated") && d.what().contains("devops"));
      assertThat(rehearsal.world().calls()).anyMatch(c -> c.brief().contains("approval overdue"));

      wf.approve(new Actions.Approve("bob", "product-manager", "late but fine"));
      assertThat(WorkflowStub.fromTyped(wf).getResult(RolloutResult.class).outcome()).isEqualTo(Outcome.COMPLETED);
    }
  }

  @Test
  void afterTheDeadlineTheEscalateToRolesMayApproveAndTheChainIsShown() {
    Plan plan = twoPhases(TestPlans.approval(Duration.ofHours(4), TimeoutAction.ESCALATE, "product-manager"));
    try (Rehearsal rehearsal = Rehearsal.open(Scenario.HAPPY)) {
      RolloutWorkflow wf = rehearsal.start(plan, "alice");
      rehearsal.env().sleep(Duration.ofHours(1).plusMinutes(1));
      RolloutStatus waiting = Poll.state(wf, RolloutState.WAITING_FOR_APPROVAL);
      assertRefused(() -> wf.approve(new Actions.Approve("dave", "devops", "too early", waiting.waitingFor().id())),
          "cannot answer");

      rehearsal.env().sleep(Duration.ofHours(5));
      RolloutStatus escalated = Poll.until(wf::status, s -> s.waitingFor() != null && !s.waitingFor().deadlines().isEmpty());
      assertThat(escalated.waitingFor().roles()).containsExactly("product-manager", "devops");
      assertThat(escalated.waitingFor().deadlines()).singleElement().asString().contains("escalated to [devops]");
      assertThat(escalated.waitingFor().id()).isEqualTo(waiting.waitingFor().id());

      wf.approve(new Actions.Approve("dave", "devops", "covering for the PM", escalated.waitingFor().id()));
      RolloutResult result = WorkflowStub.fromTyped(wf).getResult(RolloutResult.class);
      assertThat(result.outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(result.decisions()).extracting(Decision::who).contains("dave (devops)");
    }
  }

  @Test
  void aQuorumOfTwoOfFourRolesNeedsTwoPeopleInTwoRoles() {
    Plan plan = twoPhases(TestPlans.approval(2, TestPlans.ROLES.toArray(String[]::new)));
    try (Rehearsal rehearsal = Rehearsal.open(Scenario.HAPPY)) {
      RolloutWorkflow wf = rehearsal.start(plan, "alice");
      rehearsal.env().sleep(Duration.ofHours(1).plusMinutes(1));
      Poll.state(wf, RolloutState.WAITING_FOR_APPROVAL);

      RolloutBrief one = wf.approve(new Actions.Approve("alice", "devops", "I started it, I approve one role"));
      assertThat(one.waitingFor().approvedBy()).containsExactly(new RolloutStatus.Approver("devops", "alice"));
      assertThat(one.state()).isEqualTo(RolloutState.WAITING_FOR_APPROVAL);

      assertRefused(() -> wf.approve(new Actions.Approve("alice", "product-manager", null)), "one person fills one role");
      assertRefused(() -> wf.approve(new Actions.Approve("bob", "devops", null)), "already approved");
      assertRefused(() -> wf.approve(new Actions.Approve("bob", "ceo", null)), "unknown role 'ceo'");

      wf.approve(new Actions.Approve("bob", "safety-coordinator", "go"));
      RolloutResult result = WorkflowStub.fromTyped(wf).getResult(RolloutResult.class);
      assertThat(result.outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(result.decisions()).extracting(Decision::who)
          .containsSubsequence("alice (devops)", "bob (safety-coordinator)");
    }
  }

  @Test
  void theStarterCannotBeTheOnlyApproverNorAnswerForAnotherRole() {
    Plan plan = twoPhases(TestPlans.approval(1, "devops", "engineering-lead"));
    try (Rehearsal rehearsal = Rehearsal.open(Scenario.HAPPY)) {
      RolloutWorkflow wf = rehearsal.start(plan, "alice");
      rehearsal.env().sleep(Duration.ofHours(1).plusMinutes(1));
      Poll.state(wf, RolloutState.WAITING_FOR_APPROVAL);

      assertRefused(() -> wf.approve(new Actions.Approve("alice", "devops", null)), "cannot be its only approver");
      assertRefused(() -> wf.approve(new Actions.Approve("bob", "product-manager", null)), "cannot answer");
      assertRefused(() -> wf.approve(new Actions.Approve(" ", "devops", null)), "user is required");
      // refused requests never reached history: nothing in the decision log
      assertThat(wf.status().decisions()).isEmpty();

      wf.approve(new Actions.Approve("carol", "engineering-lead", null));
      assertThat(WorkflowStub.fromTyped(wf).getResult(RolloutResult.class).outcome()).isEqualTo(Outcome.COMPLETED);
    }
  }

  @Test
  void aTriggerFiringWhileAnApprovalIsPendingRollsBack() {
    Plan plan = TestPlans.plan("shop", List.of(TestPlans.gate("error_rate", dev.rollout.plan.Comparison.GT, "5%")),
        phase("Canary").steps(TestPlans.traffic(10)).bake(Duration.ofHours(1))
            .exit(TestPlans.approval(Duration.ofDays(3), TimeoutAction.WAIT, "devops")).build(),
        phase("Everyone").steps(TestPlans.traffic(100)).build());
    Scenario spikeOnDay2 = new Scenario("spike", null,
        List.of(new Scenario.MetricRule("error_rate", "20%", null, "2d")), Map.of("Canary/exit", Answer.NONE), null, null, null);

    RehearsalResult r = Rehearsal.run(plan, spikeOnDay2);

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.result().trigger()).isEqualTo("error_rate > 5%");
    assertThat(r.simulated()).isBetween(Duration.ofDays(2), Duration.ofDays(2).plusHours(1).plusMinutes(1));
    assertThat(r.changes()).containsExactly("traffic.setWeight(main 10%)", "traffic.setWeight(main 0%)");
  }

  static void assertRefused(Runnable update, String why) {
    assertThatThrownBy(update::run).isInstanceOf(WorkflowUpdateException.class)
        .rootCause().hasMessageContaining(why);
  }
}
