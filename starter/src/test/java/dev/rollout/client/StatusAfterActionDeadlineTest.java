package dev.rollout.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.server.StatusReadFaults;
import dev.rollout.workflow.Actions;
import dev.rollout.workflow.RolloutBrief;
import dev.rollout.workflow.RolloutSearchAttributes;
import dev.rollout.workflow.RolloutState;
import dev.rollout.workflow.RolloutStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The status read right after an accepted action has its own deadline: a rollout that does not
 * answer it in time gets the action answered as recorded, naming what was waited for and how long,
 * instead of holding the request until the SDK's own query deadline.
 */
class StatusAfterActionDeadlineTest {
  private static final String QUEUE = "status-after-action";
  private static final String ID = "rollout-slowstatus.test";

  private final StatusReadFaults faults = new StatusReadFaults();
  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private String runId;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    RolloutSearchAttributes.registerOn(env);
    env.newWorker(QUEUE).registerWorkflowImplementationTypes(PausingRolloutImpl.class);
    env.start();
    client = WorkflowClient.newInstance(env.getWorkflowServiceStubs(),
        WorkflowClientOptions.newBuilder().setNamespace(env.getNamespace()).setInterceptors(faults).build());
    PausingRollout rollout = client.newWorkflowStub(PausingRollout.class,
        WorkflowOptions.newBuilder().setWorkflowId(ID).setTaskQueue(QUEUE).build());
    runId = WorkflowClient.start(rollout::run).getRunId();
  }

  @AfterEach
  void close() {
    env.close();
  }

  @Test
  void aStatusReadPastItsDeadlineAnswersTheActionAsRecordedNamingWhatItWaitedFor() {
    faults.afterNextUpdate(ID, new StatusReadFaults.Slow(Duration.ofSeconds(8)));
    RolloutCalls calls = new RolloutCalls(client, Duration.ofSeconds(30), Duration.ofSeconds(1));

    long started = System.nanoTime();
    ActionAnswer answer = calls.update(ID, runId, "pause", w -> w.pause(new Actions.Operator("dave", null)));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
    assertThat(answer).isInstanceOf(RecordedAction.class);
    RecordedAction recorded = (RecordedAction) answer;
    assertThat(recorded.brief().state()).isEqualTo(RolloutState.PAUSED);
    assertThat(recorded.statusUnavailable()).isEqualTo(new RecordedAction.StatusUnavailable(
        "the status of rollout '" + ID + "' after the pause", 1,
        "gave up after 1 s waiting for the status of rollout '" + ID + "' after the pause (its worker may be busy or down)"));
  }

  @Test
  void aStatusReadWithinItsDeadlineAnswersTheWholeStatus() {
    RolloutCalls calls = new RolloutCalls(client, Duration.ofSeconds(30), Duration.ofSeconds(10));

    ActionAnswer answer = calls.update(ID, runId, "pause", w -> w.pause(new Actions.Operator("dave", null)));

    assertThat(answer).isInstanceOf(ActionAnswer.WithStatus.class);
    assertThat(((ActionAnswer.WithStatus) answer).status().state()).isEqualTo(RolloutState.PAUSED);
  }

  /** Just enough of a rollout, under the names the API calls: a pause Update and the status Query. */
  @WorkflowInterface
  public interface PausingRollout {
    @WorkflowMethod(name = "RolloutWorkflow")
    void run();

    @UpdateMethod(name = "pause")
    RolloutBrief pause(Actions.Operator action);

    @QueryMethod(name = "status")
    RolloutStatus status();
  }

  public static class PausingRolloutImpl implements PausingRollout {
    private RolloutState state = RolloutState.BAKING;

    @Override
    public void run() {
      Workflow.await(() -> false);
    }

    @Override
    public RolloutBrief pause(Actions.Operator action) {
      state = RolloutState.PAUSED;
      return new RolloutBrief(state, 0, "canary", null, null, null, null, 1);
    }

    @Override
    public RolloutStatus status() {
      return new RolloutStatus(ID, "slow-v2", "slow/test", "alice", null, state, 0, "canary", 1, null, null, null,
          null, null, null, null, null);
    }
  }
}
