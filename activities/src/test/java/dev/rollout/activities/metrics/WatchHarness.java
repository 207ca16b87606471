package dev.rollout.activities.metrics;

import dev.rollout.activities.MetricActivities;
import dev.rollout.activities.MetricActivities.BoundGate;
import dev.rollout.activities.MetricActivities.BoundMetric;
import dev.rollout.activities.MetricActivities.GateResult;
import dev.rollout.activities.MetricActivities.JudgeResult;
import dev.rollout.activities.MetricActivities.WatchResult;
import dev.rollout.activities.metrics.TriggerWatcher.WatchProgress;
import dev.rollout.plan.CanaryAnalysis;
import dev.rollout.plan.Target;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.RetryOptions;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the watch activity as the rollout does: scheduled by a workflow on Temporal's test server in
 * real time, completed asynchronously by the worker's {@link WatchScheduler}. {@link #activities()}
 * answers {@code watch} through a one-activity workflow (the other calls go straight to the
 * implementation); {@link #restartWorker} throws the watches away as a worker restart would.
 */
public final class WatchHarness implements AutoCloseable {
  static final String QUEUE = "watch-harness";

  /** One watch call with the activity options the test wants. */
  public record WatchCall(
      String rolloutId, Target target, List<BoundGate> triggers, Duration watchFor, Duration heartbeatTimeout, int attempts) {}

  @WorkflowInterface
  public interface WatchRunner {
    @WorkflowMethod
    WatchResult run(WatchCall call);
  }

  public static class WatchRunnerImpl implements WatchRunner {
    @Override
    public WatchResult run(WatchCall call) {
      MetricActivities metrics = Workflow.newActivityStub(MetricActivities.class, ActivityOptions.newBuilder()
          .setStartToCloseTimeout(call.watchFor().plus(Duration.ofMinutes(1)))
          .setHeartbeatTimeout(call.heartbeatTimeout())
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(call.attempts())
              .setInitialInterval(Duration.ofMillis(100)).build())
          // The test sees the cancellation the watch reported, not only the request.
          .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
          .build());
      return metrics.watch(call.rolloutId(), call.target(), call.triggers(), call.watchFor());
    }
  }

  private final TestWorkflowEnvironment env;
  private final MetricProviders providers;
  private final AtomicReference<MetricActivitiesImpl> impl = new AtomicReference<>();
  private volatile String current;
  private Duration heartbeatTimeout = Duration.ofSeconds(1);
  private int attempts = 1;

  public WatchHarness(MetricProviders providers) {
    this.providers = providers;
    impl.set(new MetricActivitiesImpl(providers, Clock.systemUTC()));
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(WatchRunnerImpl.class);
    worker.registerActivitiesImplementations(new Delegate());
    env.start();
  }

  /** Options for the watches started after this call. */
  public WatchHarness options(Duration heartbeatTimeout, int attempts) {
    this.heartbeatTimeout = heartbeatTimeout;
    this.attempts = attempts;
    return this;
  }

  /** The activities; {@code watch} runs through the test server (blocking until it ends, 2 min at most). */
  public MetricActivities activities() {
    return new Delegate() {
      @Override
      public WatchResult watch(String rolloutId, Target target, List<BoundGate> triggers, Duration watchFor) {
        return result(start(rolloutId, target, triggers, watchFor));
      }
    };
  }

  /** Starts a watch; returns its workflow's stub. */
  public WorkflowStub start(String rolloutId, Target target, List<BoundGate> triggers, Duration watchFor) {
    String id = "watch-" + UUID.randomUUID();
    WatchRunner runner = env.getWorkflowClient().newWorkflowStub(WatchRunner.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(QUEUE).build());
    WorkflowClient.start(runner::run, new WatchCall(rolloutId, target, triggers, watchFor, heartbeatTimeout, attempts));
    current = id;
    return WorkflowStub.fromTyped(runner);
  }

  public static WatchResult result(WorkflowStub watch) {
    try {
      return watch.getResult(2, TimeUnit.MINUTES, WatchResult.class);
    } catch (TimeoutException e) {
      throw new AssertionError("the watch did not end within 2 minutes", e);
    }
  }

  /** The last heartbeat the server holds for the most recently started watch, if any yet. */
  public Optional<WatchProgress> progress() {
    String id = current;
    if (id == null) return Optional.empty();
    List<PendingActivityInfo> pending = env.getWorkflowServiceStubs().blockingStub()
        .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
            .setNamespace(env.getNamespace())
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
            .build())
        .getPendingActivitiesList();
    if (pending.isEmpty() || !pending.get(0).hasHeartbeatDetails()) return Optional.empty();
    return Optional.of(DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(
        0, Optional.of(pending.get(0).getHeartbeatDetails()), WatchProgress.class, WatchProgress.class));
  }

  /** Cancels the most recently started watch's workflow (and so its watch). */
  public void cancel() {
    env.getWorkflowClient().newUntypedWorkflowStub(current).cancel();
  }

  /** Throws every running watch away, as a crash would, and serves later attempts from a fresh worker state. */
  public void restartWorker() {
    impl.getAndSet(new MetricActivitiesImpl(providers, Clock.systemUTC())).close();
  }

  /** The scheduler's figures of the current worker state. */
  public WatchScheduler.Stats stats() {
    return impl.get().watchStats();
  }

  @Override
  public void close() {
    env.close();
    impl.get().close();
  }

  /** Forwards to whichever implementation is current, so a "restart" keeps the registered worker. */
  private class Delegate implements MetricActivities {
    @Override
    public Map<String, Double> baseline(String rolloutId, Target target, List<BoundMetric> metrics) {
      return impl.get().baseline(rolloutId, target, metrics);
    }

    @Override
    public List<GateResult> evaluate(String rolloutId, Target target, List<BoundGate> gates) {
      return impl.get().evaluate(rolloutId, target, gates);
    }

    @Override
    public WatchResult watch(String rolloutId, Target target, List<BoundGate> triggers, Duration watchFor) {
      return impl.get().watch(rolloutId, target, triggers, watchFor);
    }

    @Override
    public JudgeResult judge(String rolloutId, Target target, CanaryAnalysis analysis, Map<String, BoundMetric> metrics) {
      return impl.get().judge(rolloutId, target, analysis, metrics);
    }
  }
}
