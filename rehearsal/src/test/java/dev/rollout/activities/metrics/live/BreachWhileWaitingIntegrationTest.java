package dev.rollout.activities.metrics.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.activities.metrics.Poll;
import dev.rollout.plan.Approval;
import dev.rollout.plan.Phase;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Target;
import dev.rollout.workflow.Actions;
import dev.rollout.workflow.Outcome;
import dev.rollout.workflow.RolloutResult;
import dev.rollout.workflow.RolloutState;
import dev.rollout.workflow.RolloutWorkflow;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The real Prometheus's error rate switched up while nobody is baking: the rollout waits for an
 * exit approval, or is paused by an operator. The trigger is still watched: it rolls back at once
 * (traffic to stable), without waiting for the approver or the resume.
 */
@Tag("integration")
class BreachWhileWaitingIntegrationTest {
  LivePrometheus prometheus;
  SwitchableService service;
  LiveRollout rollout;
  Target target;

  @BeforeEach
  void start() {
    prometheus = LivePrometheus.require();
    target = new Target("wait-" + UUID.randomUUID().toString().substring(0, 8), "it");
    service = prometheus.serve(target);
    service.errorRate(0.0);
    rollout = new LiveRollout(prometheus);
  }

  @AfterEach
  void stop() {
    if (rollout != null) rollout.close();
    if (service != null) service.close();
  }

  @Test
  void aBreachWhileWaitingForTheExitApprovalRollsBackWithoutTheApprover() {
    Plan plan = withPhase(rollout.plan(target, Duration.ofSeconds(1)), phase -> new Phase(phase.name(), null, null,
        Duration.ofSeconds(1), null, null, null, new Approval(List.of("DevOps Team"), 1, null, null, null, null, null),
        phase.steps(), null, null, null, null, null, null, null));
    RolloutWorkflow workflow = rollout.start(plan);
    Poll.until(workflow::status, s -> s.state() == RolloutState.WAITING_FOR_APPROVAL, Duration.ofSeconds(60));

    service.errorRate(0.2);

    assertRolledBackByTheTrigger(workflow);
  }

  @Test
  void aBreachWhilePausedRollsBackWithoutAResume() {
    RolloutWorkflow workflow = rollout.start(withPhase(rollout.plan(target, Duration.ofMinutes(5)), phase -> phase));
    Poll.until(workflow::status, s -> s.state() == RolloutState.BAKING, Duration.ofSeconds(60));
    workflow.pause(new Actions.Operator("sre", "looking at something", "DevOps Team"));
    Poll.until(workflow::status, s -> s.state() == RolloutState.PAUSED, Duration.ofSeconds(30));

    service.errorRate(0.2);

    assertRolledBackByTheTrigger(workflow);
  }

  private void assertRolledBackByTheTrigger(RolloutWorkflow workflow) {
    // Poll the status Query: a blocking getResult on the real-time test server was seen to hang.
    Poll.until(workflow::status, s -> s.state().terminal(), Duration.ofSeconds(60));
    RolloutResult result = WorkflowStub.fromTyped(workflow).getResult(RolloutResult.class);
    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.reason()).contains("errors-up").contains("> 1%");
    assertThat(rollout.world.weight("main")).isEqualTo(0.0);
  }

  private static Plan withPhase(Plan plan, java.util.function.UnaryOperator<Phase> change) {
    return new Plan(plan.apiVersion(), plan.name(), plan.version(), plan.description(), plan.targets(), plan.timeZone(),
        List.of("DevOps Team"), plan.resources(), plan.metrics(), plan.triggers(), List.of(change.apply(plan.phases().get(0))),
        plan.notifications());
  }
}
