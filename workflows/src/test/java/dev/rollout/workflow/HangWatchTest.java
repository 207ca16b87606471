package dev.rollout.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hang stress test's judge: a workflow whose task never completes is reported hung with its
 * id and history tail, and one that is merely slow (its history grows, though each step takes
 * longer than the stall threshold in total) is left to end.
 */
class HangWatchTest {
  private static final String QUEUE = "hang-watch";
  private static final Duration STALL = Duration.ofSeconds(3);

  @WorkflowInterface
  public interface Job {
    @WorkflowMethod
    String run(int steps);
  }

  @ActivityInterface
  public interface Step {
    void step();
  }

  /** Every workflow task fails: the history stops at its first failed task, retried unrecorded. */
  public static class StuckJob implements Job {
    @Override
    public String run(int steps) {
      throw new Error("this workflow task never completes");
    }
  }

  public static class SlowJob implements Job {
    private final Step step = Workflow.newActivityStub(Step.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());

    @Override
    public String run(int steps) {
      for (int i = 0; i < steps; i++) step.step();
      return "done after " + steps + " steps";
    }
  }

  /** Each step takes most of a second: slow, but the history grows with each. */
  public static class SlowStep implements Step {
    @Override
    public void step() {
      long end = System.nanoTime() + Duration.ofMillis(800).toNanos();
      while (System.nanoTime() < end) {
        Thread.onSpinWait();
      }
    }
  }

  TestWorkflowEnvironment env;
  WorkflowClient client;
  final ExecutorService drivers = Executors.newCachedThreadPool();

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    RolloutSearchAttributes.registerOn(env);
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(StuckJob.class);
    worker.registerActivitiesImplementations(new SlowStep());
    Worker slow = env.newWorker(QUEUE + "-slow");
    slow.registerWorkflowImplementationTypes(SlowJob.class);
    slow.registerActivitiesImplementations(new SlowStep());
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    drivers.shutdownNow();
    env.close();
  }

  @Test
  void aWorkflowTaskThatNeverCompletesIsAHangWithItsHistoryTail() {
    Job job = client.newWorkflowStub(Job.class, WorkflowOptions.newBuilder().setWorkflowId("stuck-job").setTaskQueue(QUEUE).build());
    WorkflowClient.start(job::run, 1);
    // The driver waits as a rehearsal blocked in an Update would: forever.
    HangWatch.Watched<String> w = new HangWatch(STALL, Duration.ofMinutes(2), Duration.ofMillis(500))
        .watch(client, "stuck-job", new CompletableFuture<String>());

    assertThat(w.ending()).isEqualTo(HangWatch.Ending.HUNG);
    // The failed task's line names its cause and message: usually the workflow's own error, but on a
    // loaded machine the first attempt may fail otherwise first (the deadlock detector), and only
    // the first failure of a task is written to history.
    assertThat(w.report()).contains("stuck-job").containsPattern("WORKFLOW_TASK_FAILED cause WORKFLOW_TASK_FAILED_CAUSE_\\w+: \\S")
        .contains("history tail");
    assertThat(w.wall()).isLessThan(Duration.ofMinutes(1));
  }

  @Test
  void aSlowWorkflowWhoseHistoryGrowsIsLeftToEnd() {
    Job job = client.newWorkflowStub(Job.class, WorkflowOptions.newBuilder().setWorkflowId("slow-job").setTaskQueue(QUEUE + "-slow").build());
    int steps = 6;
    HangWatch.Watched<String> w = new HangWatch(STALL, Duration.ofMinutes(2), Duration.ofMillis(500))
        .watch(client, "slow-job", drivers.submit(() -> job.run(steps)));

    assertThat(w.ending()).as(String.valueOf(w.report())).isEqualTo(HangWatch.Ending.ENDED);
    assertThat(w.value()).isEqualTo("done after 6 steps");
    // It took longer than the stall threshold in all: a fixed per-run deadline that short would have failed it.
    assertThat(w.wall()).isGreaterThan(STALL);
  }
}
