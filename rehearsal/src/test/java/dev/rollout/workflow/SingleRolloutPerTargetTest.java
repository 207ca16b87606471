package dev.rollout.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.Scenario;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import org.junit.jupiter.api.Test;

class SingleRolloutPerTargetTest {

  @Test
  void aSecondStartOnTheSameTargetIsRefusedNamingTheRunningOne() {
    try (Rehearsal rehearsal = Rehearsal.open(Scenario.HAPPY)) {
      RolloutWorkflow first = rehearsal.start(TestPlans.canary(), "alice");
      Poll.until(first::status, s -> s.state() != RolloutState.STARTING);

      assertThatThrownBy(() -> rehearsal.start(TestPlans.canary(), "bob"))
          .isInstanceOf(WorkflowExecutionAlreadyStarted.class)
          .hasMessageContaining("rollout-canary.production");
      assertThat(first.status().startedBy()).isEqualTo("alice");
    }
  }
}
