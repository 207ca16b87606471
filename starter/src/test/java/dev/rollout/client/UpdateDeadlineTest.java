package dev.rollout.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
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
    WorkflowExecution run = orphan(client, "rollout-orphan.prod");
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

  /**
   * A call given up at its deadline stops waiting. Before, each one kept a thread waiting inside
   * the SDK until the rollout ended; on a machine with more than two cores they were the common
   * pool's threads, and a few abandoned pauses made every later action time out as well.
   */
  @Test
  void anUpdateGivenUpAtItsDeadlineLeavesNoThreadWaitingBehindIt() throws InterruptedException {
    WorkflowClient client = env.getWorkflowClient();
    WorkflowExecution run = orphan(client, "rollout-orphan2.prod");
    RolloutCalls calls = new RolloutCalls(client, Duration.ofSeconds(1));
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> calls.update("rollout-orphan2.prod", run.getRunId(), "pause", w -> w.pause(null)))
          .isInstanceOf(RolloutDeadlineException.class);
    }

    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    List<String> waiting = threadsWaitingInAnUpdate();
    while (!waiting.isEmpty() && System.nanoTime() < end) {
      Thread.sleep(50);
      waiting = threadsWaitingInAnUpdate();
    }
    assertThat(waiting).as("threads still waiting on an abandoned Update").isEmpty();
  }

  /** A rollout on a queue nobody polls: its worker is down. */
  private static WorkflowExecution orphan(WorkflowClient client, String rolloutId) {
    return client.newUntypedWorkflowStub("RolloutWorkflow",
        WorkflowOptions.newBuilder().setWorkflowId(rolloutId).setTaskQueue("nobody-polls").build()).start();
  }

  /** Threads inside one of RolloutCalls' calls and, below it, the SDK's client. */
  private static List<String> threadsWaitingInAnUpdate() {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(e -> Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().startsWith(RolloutCalls.class.getName()))
            && Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().startsWith("io.temporal.")))
        .map(e -> e.getKey().getName())
        .toList();
  }
}
