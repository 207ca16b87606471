package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Comparison;
import dev.rollout.plan.Gate;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Quantity;
import dev.rollout.plan.Target;
import dev.rollout.rehearsal.Call;
import dev.rollout.rehearsal.RecordingNotifications;
import dev.rollout.rehearsal.RecordingTraffic;
import dev.rollout.rehearsal.RehearsalWorld;
import dev.rollout.rehearsal.Scenario;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** An acceptance gate checked every 15 minutes acts within 15 minutes, not at the end of a day's bake. */
class GatesAtIntervalTest {
  private static final Gate LATENCY = new Gate(null, "p99_latency", Comparison.LT, Quantity.parse("1000ms"),
      Duration.ofMinutes(10), null, Duration.ofMinutes(15), null);

  /** A watcher that keeps watching until the test makes the gate fail, then reports it at once. */
  static final class FailingGate extends QuietMetrics {
    final AtomicBoolean fail = new AtomicBoolean();
    final AtomicReference<List<BoundGate>> watched = new AtomicReference<>(List.of());

    @Override
    public WatchResult watch(String rolloutId, Target target, List<BoundGate> triggers, Duration watchFor) {
      watched.set(triggers);
      Poll.until(fail::get, Boolean::booleanValue);
      BoundGate gate = triggers.stream().filter(t -> t.gate().metric().equals("p99_latency")).findFirst().orElseThrow();
      GateResult seen = new GateResult(gate.gate().name(), "p99_latency", 1500.0, "1000ms", Verdict.FAIL, Instant.EPOCH, "slow");
      return new WatchResult(seen, List.of(seen), 1);
    }

    @Override
    public List<GateResult> evaluate(String rolloutId, Target target, List<BoundGate> gates) {
      throw new AssertionError("the final evaluation is not reached: the gate acted mid-bake");
    }
  }

  @Test
  void aGateFailingMidBakeRollsBackAtOnce() {
    Plan plan = TestPlans.plan("gated", List.of(),
        phase("Canary").steps(TestPlans.traffic(10)).bake(Duration.ofHours(24)).gates(LATENCY).build());
    RehearsalWorld world = new RehearsalWorld(Scenario.HAPPY);
    FailingGate metrics = new FailingGate();
    try (RolloutTestEnvironment rollouts = RolloutTestEnvironment.builder()
        .activities(new RecordingTraffic(world), new RecordingNotifications(world)).metrics(metrics).start()) {
      TestWorkflowEnvironment env = rollouts.env();
      RolloutWorkflow wf = rollouts.begin(plan);
      Poll.until(metrics.watched::get, w -> !w.isEmpty());
      // the gate is watched at its own interval and "for", as the failure it stands for
      assertThat(metrics.watched.get()).singleElement().satisfies(g -> {
        assertThat(g.gate().interval()).isEqualTo(Duration.ofMinutes(15));
        assertThat(g.gate().sustain()).isEqualTo(Duration.ofMinutes(10));
        assertThat(g.gate().op()).isEqualTo(Comparison.GE);
      });

      Instant failedAt = Instant.ofEpochMilli(env.currentTimeMillis());
      metrics.fail.set(true);
      RolloutResult result = WorkflowStub.fromTyped(wf).getResult(RolloutResult.class);

      assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
      assertThat(result.trigger()).isEqualTo("gate failed");
      assertThat(result.reason()).contains("p99_latency < 1000ms for 10m").contains("every 15m");
      Call undo = world.calls().stream().filter(c -> c.brief().equals("traffic.setWeight(main 0%)")).findFirst().orElseThrow();
      assertThat(Duration.between(failedAt, undo.at())).isLessThanOrEqualTo(Duration.ofMinutes(15));
    }
  }
}
