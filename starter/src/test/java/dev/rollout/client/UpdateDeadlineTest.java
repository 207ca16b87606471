package dev.rollout.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;

/**
 * A rollout whose worker is gone never answers an Update: the API gives up after its deadline and
 * says what it waited for (pause, decide…), instead of holding the request thread forever.
 */
class UpdateDeadlineTest {
  private final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();

  @AfterEach
  void close() {
    env.close();
  }

  @Test
  void anUpdateToARolloutWithNoWorkerGivesUpAfterTheDeadlineNamingWhatItWaitedFor() {
    WorkflowClient client = env.getWorkflowClient();
    // A rollout on a queue nobody polls: its worker is down.
    WorkflowExecution run = client
        .newUntypedWorkflowStub("RolloutWorkflow",
            WorkflowOptions.newBuilder().setWorkflowId("rollout-orphan.prod").setTaskQueue("nobody-polls").build())
        .start();
    RolloutCalls calls = new RolloutCalls(client, Duration.ofSeconds(1));

    long started = System.nanoTime();
    assertThatThrownBy(() -> calls.update("rollout-orphan.prod", run.getRunId(), "pause", w -> w.pause(null)))
        .isInstanceOf(RolloutDeadlineException.class)
        .hasMessageContaining("gave up after 1 s waiting for rollout 'rollout-orphan.prod' to accept the pause");
    assertThatThrownBy(() -> calls.updateOnce("rollout-orphan.prod", run.getRunId(), "decide", "decide:w1:alice:sre", null))
        .isInstanceOf(RolloutDeadlineException.class)
        .hasMessageContaining("to accept the decide");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
  }
}
