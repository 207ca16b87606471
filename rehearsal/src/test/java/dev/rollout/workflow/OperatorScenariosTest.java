package dev.rollout.workflow;

import static dev.rollout.workflow.ApprovalScenariosTest.assertRefused;
import static dev.rollout.workflow.PhaseBuilder.phase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Comparison;
import dev.rollout.plan.GateFailureAction;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Step;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import dev.rollout.rehearsal.Scenario.CallRule;
import dev.rollout.rehearsal.Scenario.MetricRule;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Operators at work: abort, pause, skipping a bake, deciding a hold. */
class OperatorScenariosTest {

  private static Plan deployThenBake() {
    return TestPlans.plan("api", List.of(),
        phase("Canary").steps(TestPlans.traffic(10), new Step.Deploy(null, "api", "api:v2"), TestPlans.traffic(50))
            .bake(Duration.ofHours(10)).skipBakeRoles("devops").build());
  }

  /** When the workflow closed (the test server's clock runs on after it). */
  static Instant closedAt(Rehearsal rehearsal) {
    var last = rehearsal.client().fetchHistory(rehearsal.workflowId()).getLastEvent().getEventTime();
    return Instant.ofEpochSecond(last.getSeconds(), last.getNanos());
  }

  private static RolloutResult result(RolloutWorkflow wf) {
    return WorkflowStub.fromTyped(wf).getResult(RolloutResult.class);
  }

  @Test
  void anAbortInTheMiddleOfAStepCancelsItAndUndoesItToo() {
    Scenario slowDeploy = new Scenario("slow deploy", null, null, null, null, null,
        List.of(new CallRule("deploy", "setImage", 1, null, null)));
    try (Rehearsal rehearsal = Rehearsal.open(slowDeploy)) {
      RolloutWorkflow wf = rehearsal.start(deployThenBake(), "alice");
      Poll.until(() -> rehearsal.world().calls(), calls -> calls.stream().anyMatch(c -> c.method().equals("setImage")));
      assertThat(wf.status().step()).isEqualTo("deploy api:v2 to api");

      wf.abort(new Actions.Abort("bob", "wrong image", "devops"));
      RolloutResult result = result(wf);

      assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
      assertThat(result.trigger()).isEqualTo("operator abort");
      assertThat(result.reason()).contains("wrong image").contains("bob");
      // the cancelled deploy had pushed its undo first, so it is redeployed too
      assertThat(rehearsal.world().workload("api").image()).isEqualTo("api:stable");
      assertThat(rehearsal.world().weight("main")).isZero();
      assertThat(rehearsal.world().calls()).noneMatch(c -> c.brief().equals("traffic.setWeight(main 50%)"));
    }
  }

  @Test
  void aPauseDuringABakeExtendsItByThePause() {
    try (Rehearsal rehearsal = Rehearsal.open(Scenario.HAPPY)) {
      RolloutWorkflow wf = rehearsal.start(deployThenBake(), "alice");
      Instant plannedEnd = Poll.state(wf, RolloutState.BAKING).bakeEndsAt();

      rehearsal.env().sleep(Duration.ofHours(2));
      wf.pause(new Actions.Operator("bob", "investigating a dashboard"));
      Poll.state(wf, RolloutState.PAUSED);
      rehearsal.env().sleep(Duration.ofHours(3));
      assertRefused(() -> wf.pause(new Actions.Operator("bob", null)), "already paused");
      wf.resume(new Actions.Operator("bob", "all clear", "devops"));

      RolloutStatus baking = Poll.state(wf, RolloutState.BAKING);
      assertThat(Duration.between(plannedEnd, baking.bakeEndsAt())).isBetween(Duration.ofHours(3), Duration.ofHours(3).plusMinutes(1));
      assertThat(result(wf).outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(Duration.between(plannedEnd, closedAt(rehearsal))).isBetween(Duration.ofHours(3), Duration.ofHours(3).plusMinutes(1));
    }
  }

  @Test
  void aPauseWhileWaitingForAnApprovalShowsInTheStatusUntilResumedAndHoldsTheNextStep() {
    Plan plan = TestPlans.plan("shop", List.of(),
        phase("Canary").steps(TestPlans.traffic(10)).bake(Duration.ofHours(1)).build(),
        phase("Everyone").entry(TestPlans.approval(1, "devops")).steps(TestPlans.traffic(100)).build());
    try (Rehearsal rehearsal = Rehearsal.open(Scenario.HAPPY)) {
      RolloutWorkflow wf = rehearsal.start(plan, "alice");
      rehearsal.env().sleep(Duration.ofHours(1).plusMinutes(1));
      RolloutStatus waiting = Poll.state(wf, RolloutState.WAITING_FOR_APPROVAL);
      assertThat(waiting.pausedByOperator()).isFalse();

      RolloutBrief answer = wf.pause(new Actions.Operator("bob", "hold on, incident elsewhere"));
      // The state still shows the approval awaited; the pause shows beside it, so a person sees
      // it took effect and that Resume, not Pause, is the answer now.
      assertThat(answer.state()).isEqualTo(RolloutState.WAITING_FOR_APPROVAL);
      assertThat(answer.pausedByOperator()).isTrue();
      assertThat(wf.status().pausedByOperator()).isTrue();
      assertThat(wf.brief().pausedByOperator()).isTrue();

      wf.approve(new Actions.Approve("carol", "devops", "go", waiting.waitingFor().id()));
      RolloutStatus held = Poll.state(wf, RolloutState.PAUSED);
      assertThat(held.pausedByOperator()).isTrue();
      assertThat(rehearsal.world().weight("main")).as("the next step waits for the resume").isEqualTo(10.0);

      RolloutBrief resumed = wf.resume(new Actions.Operator("bob", "all clear", "devops"));
      assertThat(resumed.pausedByOperator()).isFalse();
      assertThat(result(wf).outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(rehearsal.world().weight("main")).isEqualTo(100.0);
    }
  }

  @Test
  void skippingABakeNeedsARoleThePhaseNames() {
    try (Rehearsal rehearsal = Rehearsal.open(Scenario.HAPPY)) {
      RolloutWorkflow wf = rehearsal.start(deployThenBake(), "alice");
      Instant started = Instant.ofEpochMilli(rehearsal.env().currentTimeMillis());
      Poll.state(wf, RolloutState.BAKING);

      assertRefused(() -> wf.skipBake(new Actions.SkipBake("bob", "product-manager", null)), "cannot skip the bake");
      wf.skipBake(new Actions.SkipBake("bob", "devops", "metrics are flat"));

      assertThat(result(wf).outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(Duration.between(started, closedAt(rehearsal))).isLessThan(Duration.ofMinutes(1));
    }
  }

  private static Plan heldOnLatency() {
    return TestPlans.plan("api", List.of(),
        phase("Canary").steps(TestPlans.traffic(10)).bake(Duration.ofHours(1))
            .gates(TestPlans.gate("p99_latency", Comparison.LT, "1000ms"))
            .onGateFailure(GateFailureAction.HOLD).build(),
        phase("Everyone").steps(TestPlans.traffic(100)).build());
  }

  @Test
  void aFailedGateOnHoldWaitsForADecision() {
    Scenario slow = new Scenario("slow", null, List.of(new MetricRule("p99_latency", "1500ms", null, null)),
        null, null, null, null);
    try (Rehearsal rehearsal = Rehearsal.open(slow)) {
      RolloutWorkflow wf = rehearsal.start(heldOnLatency(), "alice");
      rehearsal.env().sleep(Duration.ofHours(1).plusMinutes(1));
      RolloutStatus held = Poll.state(wf, RolloutState.ON_HOLD);
      assertThat(held.waitingFor().kind()).isEqualTo(RolloutStatus.WaitKind.DECISION);
      assertThat(held.lastGates()).singleElement().satisfies(g -> assertThat(g.value()).isEqualTo(1500.0));

      rehearsal.env().sleep(Duration.ofDays(3));
      assertThat(wf.status().state()).isEqualTo(RolloutState.ON_HOLD);

      // held at once, mid-bake (gates-at-interval-on-hold); the final evaluation after the bake
      // still judges the gate and holds again
      wf.decide(new Actions.Decide("bob", Actions.Choice.CONTINUE, "known slow dependency", "devops", null));
      RolloutStatus again = Poll.until(wf::status,
          s -> s.state() == RolloutState.ON_HOLD && !s.waitingFor().id().equals(held.waitingFor().id()));
      wf.decide(new Actions.Decide("bob", Actions.Choice.CONTINUE, "still known", "devops", again.waitingFor().id()));
      assertThat(result(wf).outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(rehearsal.world().weight("main")).isEqualTo(100);
    }
  }

  @Test
  void aHoldAnsweredWithRetryRunsThePhaseAgain() {
    Scenario slow = new Scenario("slow", null, List.of(new MetricRule("p99_latency", "1500ms", null, null)),
        null, null, null, null);
    try (Rehearsal rehearsal = Rehearsal.open(slow)) {
      RolloutWorkflow wf = rehearsal.start(heldOnLatency(), "alice");
      rehearsal.env().sleep(Duration.ofHours(1).plusMinutes(1));
      String firstHold = Poll.state(wf, RolloutState.ON_HOLD).waitingFor().id();
      assertRefused(() -> wf.decide(new Actions.Decide("bob", Actions.Choice.RETRY, null)), "needs one of the plan's roles");
      assertRefused(() -> wf.decide(new Actions.Decide("bob", Actions.Choice.RETRY, null, "intern", firstHold)), "may not decide");
      wf.decide(new Actions.Decide("bob", Actions.Choice.RETRY, "flaky dependency restarted", "devops", firstHold));
      // the phase runs again and (its gate still failing) may already hold again: either way the old hold is over
      assertRefused(() -> wf.decide(new Actions.Decide("carol", Actions.Choice.ROLLBACK, null, "devops", firstHold)), firstHold);

      RolloutStatus second = Poll.until(wf::status,
          s -> s.state() == RolloutState.ON_HOLD && !s.waitingFor().id().equals(firstHold));
      String secondHold = second.waitingFor().id();
      assertRefused(() -> wf.decide(new Actions.Decide("carol", Actions.Choice.ROLLBACK, "stale", "devops", firstHold)),
          "this answers wait " + firstHold);
      wf.decide(new Actions.Decide("bob", Actions.Choice.CONTINUE, "accepted", "devops", secondHold));
      // the bake goes on; its final evaluation still judges the gate and holds once more
      rehearsal.env().sleep(Duration.ofHours(1).plusMinutes(1));
      String lastHold = Poll.until(wf::status,
          s -> s.state() == RolloutState.ON_HOLD && !s.waitingFor().id().equals(secondHold)).waitingFor().id();
      wf.decide(new Actions.Decide("bob", Actions.Choice.CONTINUE, "accepted at the end", "devops", lastHold));

      assertThat(result(wf).outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(rehearsal.world().calls().stream().filter(c -> c.brief().equals("traffic.setWeight(main 10%)")))
          .hasSize(2);
    }
  }

  @Test
  void aHoldAnsweredWithRollbackUndoesThePhase() {
    Scenario slow = new Scenario("slow", null, List.of(new MetricRule("p99_latency", "1500ms", null, null)),
        null, Map.of("Canary", Actions.Choice.ROLLBACK), null, null);
    RehearsalResult r = Rehearsal.run(heldOnLatency(), slow);
    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.result().trigger()).isEqualTo("gate failed");
    assertThat(r.changes()).containsExactly("traffic.setWeight(main 10%)", "traffic.setWeight(main 0%)");
  }
}
