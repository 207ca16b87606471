package dev.rollout.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.workflow.Actions;
import dev.rollout.workflow.RolloutRequest;
import dev.rollout.workflow.RolloutWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A rehearsal's query or Update that the rollout never answers ends with what it waited for, on
 * the driver's own thread, and leaves that thread fit for the next call (no interrupt behind).
 */
class DeadlinesTest {
  private static final Duration SHORT = Duration.ofSeconds(1);

  @Test
  void aCallNobodyAnswersGivesUpSayingWhatItWaitedForAndTheNextCallStillWorks() {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      env.start();
      // No worker polls this queue: the rollout never answers a query or an Update.
      RolloutWorkflow unanswered = env.getWorkflowClient().newWorkflowStub(RolloutWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId("deadlines-test").setTaskQueue("nobody-polls-this").build());
      WorkflowClient.start(unanswered::run, new RolloutRequest("deadlines-test", null, "someone", "deadlines test"));

      assertThatThrownBy(() -> Deadlines.within("what the rollout is doing", SHORT, unanswered::brief))
          .isInstanceOf(Deadlines.GaveUp.class)
          .hasMessage("gave up after 1 s waiting for what the rollout is doing");
      assertThat(Thread.currentThread().isInterrupted()).isFalse();

      assertThatThrownBy(() -> Deadlines.within("the confirmation of 'item' to be accepted", SHORT,
          () -> unanswered.confirm(new Actions.Confirm("rehearsal-operator", null, "item", "test", null))))
          .isInstanceOf(Deadlines.GaveUp.class)
          .hasMessageContaining("the confirmation of 'item' to be accepted");
      assertThat(Thread.currentThread().isInterrupted()).isFalse();

      // A call that answers in time returns its value, and no alarm rings on later.
      assertThat(Deadlines.within("a quick answer", SHORT, () -> "answered")).isEqualTo("answered");
      assertThat(Deadlines.within("the server's clock", SHORT, env::currentTimeMillis)).isPositive();
    }
    assertThat(Thread.interrupted()).isFalse();
  }
}
