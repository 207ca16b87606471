package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Comparison;
import dev.rollout.plan.Notifications;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Resources;
import dev.rollout.plan.RollbackScope;
import dev.rollout.plan.Router;
import dev.rollout.plan.Step;
import dev.rollout.plan.Target;
import dev.rollout.rehearsal.Call;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import dev.rollout.rehearsal.Scenario.MetricRule;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A promotion development → staging → production: each phase queries its own environment, a
 * failure in production rolls back production only, and each target is locked on its own.
 */
class PhaseTargetsTest {
  private static final List<Target> TARGETS = List.of(
      new Target("platform", "development", "dev"),
      new Target("platform", "staging", "staging"),
      new Target("platform", "production", "prod"));

  /** Production has its own router ("prod"): undoing it leaves staging's traffic on "main" alone. */
  private static Resources resources() {
    Resources shared = TestPlans.resources();
    Map<String, Router> routers = new java.util.LinkedHashMap<>(shared.routers());
    routers.put("prod", new Router.HttpProxy("http://localhost:9001/admin"));
    return new Resources(shared.databases(), routers, shared.flagStores(), shared.metricSources(), shared.workloads(),
        shared.notifiers());
  }

  static Plan promotion(RollbackScope scope) {
    return new Plan("rollout/v1", "promotion", "1.0", null, TARGETS, "UTC", TestPlans.ROLES,
        resources(), TestPlans.metrics(),
        List.of(TestPlans.gate("error_rate", Comparison.GT, "5%")),
        List.of(
            phase("Development").target("dev")
                .steps(new Step.SetFlags(null, "flags", Map.of("green", true))).bake(Duration.ofHours(1))
                .gates(TestPlans.gate("error_rate", Comparison.LT, "1%")).build(),
            phase("Staging").target("platform/staging").steps(TestPlans.traffic(50)).bake(Duration.ofHours(1)).build(),
            phase("Production").target("prod").steps(new Step.ShiftTraffic(null, "prod", 100)).bake(Duration.ofHours(1)).build()),
        new Notifications("log", null, null), scope, null);
  }

  static Scenario errorsFrom(String phase) {
    return new Scenario("errors in " + phase, null, List.of(new MetricRule("error_rate", "10%", phase, null)),
        null, null, null, null);
  }

  private static List<String> metricCalls(RehearsalResult r, String method) {
    return r.calls().stream().filter(c -> c.activity().equals("metrics") && c.method().equals(method))
        .map(Call::args).toList();
  }

  @Test
  void eachPhaseQueriesItsOwnEnvironment() {
    RehearsalResult r = Rehearsal.run(promotion(null), Scenario.HAPPY);

    assertThat(r.result().outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(metricCalls(r, "evaluate")).containsExactly("[error_rate < 1%] on platform/development");
    List<String> watches = metricCalls(r, "watch");
    assertThat(watches).first().asString().endsWith("on platform/development");
    assertThat(watches).anyMatch(w -> w.endsWith("on platform/staging"));
    assertThat(watches).last().asString().endsWith("on platform/production");
    assertThat(watches).noneMatch(w -> !w.contains(" on platform/"));
  }

  @Test
  void aProductionBreachRollsBackProductionOnly() {
    RehearsalResult r = Rehearsal.run(promotion(null), errorsFrom("Production"));

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    // staging's 50 % and development's flag stay: only production's shift is undone
    // (production's traffic goes back to stable: 0 % to the canary, as every safe rollback does)
    assertThat(r.changes()).containsExactly("flags.setFlags(flags {green=true})", "traffic.setWeight(main 50%)",
        "traffic.setWeight(prod 100%)", "traffic.setWeight(prod 0%)");
    assertThat(r.result().decisions()).extracting(Decision::what)
        .contains("rolling back platform/production only (rollbackScope: target)");
    assertThat(r.result().decisions()).extracting(Decision::comment)
        .contains("kept as they are: Development (platform/development), Staging (platform/staging)");
  }

  @Test
  void rollbackScopeAllUndoesEveryTarget() {
    RehearsalResult r = Rehearsal.run(promotion(RollbackScope.ALL), errorsFrom("Production"));

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.changes()).hasSize(6)
        .endsWith("traffic.setWeight(prod 0%)", "traffic.setWeight(main 0%)", "flags.setFlags(flags {green=null})");
  }

  @Test
  void aPlanOnOneTargetAndAPlanOnTwoCannotRunOnTheSharedOneTogether() {
    Plan onProduction = TestPlans.plan("platform", List.of(),
        phase("Canary").steps(TestPlans.traffic(10)).exit(TestPlans.approval(1, "devops")).build());
    Plan onStagingAndProduction = new Plan("rollout/v1", "both", "1.0", null,
        List.of(new Target("platform", "staging"), new Target("platform", "production")), "UTC", TestPlans.ROLES,
        TestPlans.resources(), TestPlans.metrics(), List.of(),
        List.of(phase("Staging").target("platform/staging").steps(TestPlans.traffic(50)).build(),
            phase("Production").target("platform/production").steps(TestPlans.traffic(100)).build()),
        new Notifications("log", null, null));
    try (Rehearsal rehearsal = Rehearsal.open(Scenario.HAPPY)) {
      RolloutWorkflow first = rehearsal.start(onProduction, "alice");
      Poll.state(first, RolloutState.WAITING_FOR_APPROVAL);
      assertThat(RolloutIds.forPlan(onStagingAndProduction)).isNotEqualTo(RolloutIds.forPlan(onProduction));

      rehearsal.start(onStagingAndProduction, "bob");
      // Read from history rather than waiting on the result, which would let time skip ahead.
      String secondId = RolloutIds.forPlan(onStagingAndProduction);
      HistoryEvent last = Poll.until(() -> rehearsal.client().fetchHistory(secondId).getLastEvent(),
          e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED);

      Failure refused = last.getWorkflowExecutionFailedEventAttributes().getFailure();
      assertThat(refused.getApplicationFailureInfo().getType()).isEqualTo("TargetLocked");
      assertThat(refused.getMessage()).contains("target platform/production is locked");
      assertThat(rehearsal.world().weight("main")).as("the refused plan changed nothing").isEqualTo(10);
      assertThat(first.status().state()).isEqualTo(RolloutState.WAITING_FOR_APPROVAL);

      first.approve(new Actions.Approve("carol", "devops", "go"));
      Poll.state(first, RolloutState.COMPLETED);
      // The first rollout ends with its canary at 10 %: put it back, or the next stops at the live-state check.
      rehearsal.world().presetWeight("main", 0);
      RolloutWorkflow again = rehearsal.start(onStagingAndProduction, "bob");
      assertThat(Poll.until(again::status, st -> st.state().terminal()).state())
          .as("a rollout releases its locks when it ends").isEqualTo(RolloutState.COMPLETED);
    }
  }
}
