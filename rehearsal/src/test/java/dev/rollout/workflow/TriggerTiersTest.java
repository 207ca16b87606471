package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Comparison;
import dev.rollout.plan.Gate;
import dev.rollout.plan.NoDataAction;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Quantity;
import dev.rollout.plan.TriggerAction;
import dev.rollout.rehearsal.Call;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import dev.rollout.rehearsal.Scenario.MetricRule;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Warning-tier triggers tell people and go on; hold-tier ones ask; rollback-tier ones roll back. */
class TriggerTiersTest {
  /** The canary seed's "Warning" column: P99 over 1000 ms tells #alerts-warnings. */
  static final Gate LATENCY_WARNING = new Gate("p99 latency warning", "p99_latency", Comparison.GT,
      Quantity.parse("1000ms"), null, null, Duration.ofMinutes(1), NoDataAction.FAIL,
      TriggerAction.NOTIFY, Duration.ofHours(4), "log");
  /** Its "Critical" column: P99 over 3000 ms rolls back. */
  static final Gate LATENCY_CRITICAL = new Gate("p99 latency critical", "p99_latency", Comparison.GT,
      Quantity.parse("3000ms"), null, null, Duration.ofMinutes(1), NoDataAction.FAIL);

  static Plan plan(Gate... triggers) {
    return TestPlans.plan("api", List.of(),
        phase("Canary").steps(TestPlans.traffic(10)).bake(Duration.ofHours(10)).triggers(triggers).build(),
        phase("Everyone").steps(TestPlans.traffic(100)).build());
  }

  static Scenario latency(String value) {
    return new Scenario("latency " + value, null, List.of(new MetricRule("p99_latency", value, null, null)),
        null, null, null, null);
  }

  private static List<Call> warnings(RehearsalResult r) {
    return r.calls().stream().filter(c -> c.method().equals("notify") && c.args().contains("warning in phase")).toList();
  }

  @Test
  void aWarningNotifiesOnceThenRemindsOnItsScheduleAndDoesNotRollBack() {
    RehearsalResult r = Rehearsal.run(plan(LATENCY_WARNING, LATENCY_CRITICAL), latency("1500ms"));

    assertThat(r.result().outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(r.changes()).containsExactly("traffic.setWeight(main 10%)", "traffic.setWeight(main 100%)");
    // checked every minute for 10 hours, but told at 0h and reminded at 4h and 8h only
    List<Call> told = warnings(r);
    assertThat(told).hasSize(3);
    assertThat(told.get(0).args()).startsWith("log WARNING warning in phase Canary: p99_latency > 1000ms");
    assertThat(told.subList(1, 3)).allMatch(c -> c.args().contains("reminder: "));
    assertThat(Duration.between(told.get(0).at(), told.get(1).at())).isBetween(Duration.ofHours(4).minusMinutes(1), Duration.ofHours(4).plusMinutes(2));
    assertThat(r.result().decisions()).extracting(Decision::what).contains("warning trigger fired", "warning trigger still holds");
  }

  @Test
  void theCriticalTierStillRollsBackWhileTheWarningTierOnlyTold() {
    RehearsalResult r = Rehearsal.run(plan(LATENCY_WARNING, LATENCY_CRITICAL), latency("3500ms"));

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.result().trigger()).isEqualTo(LATENCY_CRITICAL.describe());
    assertThat(r.changes()).containsExactly("traffic.setWeight(main 10%)", "traffic.setWeight(main 0%)");
  }

  @Test
  void aHoldTierTriggerHoldsForADecision() {
    Gate hold = new Gate("p99 latency hold", "p99_latency", Comparison.GT, Quantity.parse("1000ms"), null, null,
        Duration.ofMinutes(1), NoDataAction.FAIL, TriggerAction.HOLD, null, null);
    try (Rehearsal rehearsal = Rehearsal.open(latency("1500ms"))) {
      RolloutWorkflow wf = rehearsal.start(plan(hold), "alice");
      RolloutStatus held = Poll.state(wf, RolloutState.ON_HOLD);
      assertThat(held.waitingFor().item()).contains("action: hold").contains("p99 latency hold");
      assertThat(rehearsal.world().weight("main")).isEqualTo(10);
    }
  }
}
