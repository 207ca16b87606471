package dev.rollout.activities.metrics.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.activities.MetricActivities.GateResult;
import dev.rollout.activities.MetricActivities.Verdict;
import dev.rollout.activities.metrics.Poll;
import dev.rollout.plan.Target;
import dev.rollout.workflow.Outcome;
import dev.rollout.workflow.RolloutResult;
import dev.rollout.workflow.RolloutState;
import dev.rollout.workflow.RolloutStatus;
import dev.rollout.workflow.RolloutWorkflow;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A rollout baking with a 1 s trigger against the real Prometheus: rolls back on errors, completes without. */
@Tag("integration")
class RolloutRollbackIntegrationTest {
  LivePrometheus prometheus;
  SwitchableService service;
  LiveRollout rollout;
  Target target;

  @BeforeEach
  void start() {
    prometheus = LivePrometheus.require();
    target = new Target("svc-" + UUID.randomUUID().toString().substring(0, 8), "it");
    service = prometheus.serve(target);
    rollout = new LiveRollout(prometheus);
  }

  @AfterEach
  void stop() {
    if (rollout != null) rollout.close();
    if (service != null) service.close();
  }

  @Test
  void rollsBackWhenTheErrorRateIsSwitchedUpDuringTheBake() {
    RolloutWorkflow workflow = rollout.start(rollout.plan(target, Duration.ofMinutes(2)));
    Poll.until(workflow::status, s -> s.state() == RolloutState.BAKING, Duration.ofSeconds(30));
    service.errorRate(0.2);
    // Poll the status Query: a blocking getResult on the real-time test server was seen to hang.
    Poll.until(workflow::status, s -> s.state().terminal(), Duration.ofSeconds(60));
    RolloutResult result = WorkflowStub.fromTyped(workflow).getResult(RolloutResult.class);
    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.reason()).contains("errors-up").contains("> 1%");
    assertThat(rollout.world.weight("main")).isEqualTo(0.0);
    RolloutStatus status = workflow.status();
    assertThat(status.lastGates()).extracting(GateResult::verdict).containsExactly(Verdict.FAIL);
    assertThat(status.lastGates().get(0).value()).isGreaterThan(0.01);
    // the decision log says which trigger, with the value and threshold it saw
    assertThat(status.decisions()).anySatisfy(d -> {
      assertThat(d.what()).isEqualTo("rollback (error_rate > 1%)");
      assertThat(d.comment()).contains("rollback trigger fired: errors-up").contains("> 1%");
    });
  }

  @Test
  void completesWhenTheErrorRateStaysLow() {
    service.errorRate(0.002);
    RolloutWorkflow workflow = rollout.start(rollout.plan(target, Duration.ofSeconds(6)));
    // Poll the status Query: a blocking getResult on the real-time test server was seen to hang.
    Poll.until(workflow::status, s -> s.state().terminal(), Duration.ofSeconds(60));
    RolloutResult result = WorkflowStub.fromTyped(workflow).getResult(RolloutResult.class);
    assertThat(result.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(rollout.world.weight("main")).isEqualTo(10.0);
  }

}
