package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Comparison;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Step;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import dev.rollout.rehearsal.Scenario.CallRule;
import dev.rollout.rehearsal.Scenario.MetricRule;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Run and http steps run in order, push their undo first, and a failing one rolls back. */
class RunbookStepsTest {
  private static final Step.Run VALIDATE = new Step.Run("Validate rollback readiness", "validate-rollback", null,
      new Step.Run.Undo("rollback-script", null), null);
  private static final Step.Http KILL_SWITCH_OFF = new Step.Http("Kill switch off", "POST",
      "https://api.example.com/admin/feature-flags", "{\"FF_EMERGENCY_ROLLBACK\": false}", 200,
      new Step.Http.SecretHeader("Authorization", "ADMIN_TOKEN"),
      new Step.Http.Call("POST", "https://api.example.com/admin/feature-flags", "{\"FF_EMERGENCY_ROLLBACK\": true}", 200),
      null);

  private static Plan plan() {
    return TestPlans.plan("api", List.of(TestPlans.gate("error_rate", Comparison.GT, "5%")),
        phase("Canary").steps(VALIDATE, KILL_SWITCH_OFF, TestPlans.traffic(10)).bake(Duration.ofHours(1)).build());
  }

  @Test
  void aBreachUndoesTheRunbookStepsInReverseAfterTheTraffic() {
    Scenario errors = new Scenario("errors", null, List.of(new MetricRule("error_rate", "10%", null, null)),
        null, null, null, null);

    RehearsalResult r = Rehearsal.run(plan(), errors);

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.changes()).containsExactly(
        "runbook.runCommand(validate-rollback)",
        "runbook.call(POST https://api.example.com/admin/feature-flags {\"FF_EMERGENCY_ROLLBACK\": false})",
        "traffic.setWeight(main 10%)",
        "traffic.setWeight(main 0%)",
        "runbook.call(POST https://api.example.com/admin/feature-flags {\"FF_EMERGENCY_ROLLBACK\": true})",
        "runbook.runCommand(rollback-script)");
  }

  @Test
  void aCommandThatFailsRollsBackWithItsOwnUndoRegisteredFirst() {
    Scenario failing = new Scenario("validation fails", null, null, null, null,
        List.of(new CallRule("runbook", "runCommand", 0, "validate-rollback", "exited 2: replica lag too high")), null);

    RehearsalResult r = Rehearsal.run(plan(), failing);

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.result().reason()).contains("Validate rollback readiness").contains("replica lag too high");
    assertThat(r.changes()).endsWith("runbook.runCommand(rollback-script)").doesNotContain("traffic.setWeight(main 10%)");
  }
}
