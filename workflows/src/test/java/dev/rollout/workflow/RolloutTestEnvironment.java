package dev.rollout.workflow;

import dev.rollout.activities.MetricActivities;
import dev.rollout.plan.Plan;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import io.temporal.worker.WorkflowImplementationOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The one way a workflow test builds its Temporal test environment (time skipping): both workflow
 * types registered ({@link RolloutWorkflows#registerOn}), the search attributes registered (else
 * the first upsert stalls the rollout), the test's activities on the rollout queue, and a metric
 * source on both the rollout queue and the watch queue ({@link QuietMetrics} unless the test
 * brings its own).
 */
public final class RolloutTestEnvironment implements AutoCloseable {
  private final TestWorkflowEnvironment env;

  private RolloutTestEnvironment(TestWorkflowEnvironment env) {
    this.env = env;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What the test brings; {@link #start} registers it and starts the environment. */
  public static final class Builder {
    private WorkflowImplementationOptions workflowOptions;
    private WorkerOptions workerOptions;
    private MetricActivities metrics = new QuietMetrics();
    private final List<Object> activities = new ArrayList<>();
    private boolean lockRelease = true;
    private Instant startingAt;

    private Builder() {}

    /**
     * Workflow time starts here instead of at the wall clock: a test whose plan has a window must
     * not pass or fail by the hour it runs at.
     */
    public Builder startingAt(Instant start) {
      this.startingAt = start;
      return this;
    }

    /**
     * The two workflow types without the real {@link TargetLockRelease}: the test brings its own
     * in {@link #activities} (a worker must register one: an unregistered local activity fails
     * the workflow task, again and again).
     */
    public Builder withoutLockRelease() {
      this.lockRelease = false;
      return this;
    }

    /** Options for the rollout workflows (e.g. a shorter heartbeat timeout for one activity). */
    public Builder workflowOptions(WorkflowImplementationOptions options) {
      this.workflowOptions = options;
      return this;
    }

    /** Options for the rollout queue's worker. */
    public Builder workerOptions(WorkerOptions options) {
      this.workerOptions = options;
      return this;
    }

    /** The metric source, on the rollout queue and the watch queue. */
    public Builder metrics(MetricActivities metrics) {
      this.metrics = metrics;
      return this;
    }

    /** Activity implementations for the rollout queue (traffic, deploy, notifications, ...). */
    public Builder activities(Object... implementations) {
      activities.addAll(List.of(implementations));
      return this;
    }

    public RolloutTestEnvironment start() {
      TestWorkflowEnvironment env = startingAt == null
          ? TestWorkflowEnvironment.newInstance()
          : TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setInitialTime(startingAt).build());
      try {
        RolloutSearchAttributes.registerOn(env);
        Worker worker = workerOptions == null
            ? env.newWorker(RolloutWorkflow.TASK_QUEUE)
            : env.newWorker(RolloutWorkflow.TASK_QUEUE, workerOptions);
        if (!lockRelease) {
          worker.registerWorkflowImplementationTypes(RolloutWorkflowImpl.class, TargetLockWorkflowImpl.class);
        } else if (workflowOptions == null) {
          RolloutWorkflows.registerOn(worker);
        } else {
          RolloutWorkflows.registerOn(worker, workflowOptions);
        }
        List<Object> all = new ArrayList<>(activities);
        all.add(metrics);
        worker.registerActivitiesImplementations(all.toArray());
        env.newWorker(RolloutWorkflow.watchTaskQueue(RolloutWorkflow.TASK_QUEUE)).registerActivitiesImplementations(metrics);
        env.start();
        return new RolloutTestEnvironment(env);
      } catch (RuntimeException e) {
        env.close();
        throw e;
      }
    }
  }

  public TestWorkflowEnvironment env() {
    return env;
  }

  public WorkflowClient client() {
    return env.getWorkflowClient();
  }

  /** Starts a rollout of {@code plan} (its usual id, {@link RolloutIds#forPlan}) by alice; returns its stub. */
  public RolloutWorkflow begin(Plan plan) {
    String id = RolloutIds.forPlan(plan);
    RolloutWorkflow wf = client().newWorkflowStub(RolloutWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(RolloutWorkflow.TASK_QUEUE).build());
    WorkflowClient.start(wf::run, new RolloutRequest(id, plan, "alice", "test"));
    return wf;
  }

  @Override
  public void close() {
    env.close();
  }
}
