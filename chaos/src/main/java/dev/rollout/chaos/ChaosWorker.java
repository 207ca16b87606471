package dev.rollout.chaos;

import dev.rollout.activities.database.DatabaseActivitiesImpl;
import dev.rollout.activities.database.DatabaseSettings;
import dev.rollout.activities.flags.FlagActivitiesImpl;
import dev.rollout.activities.flags.FlagStores;
import dev.rollout.activities.flags.file.JsonFileFlagStore;
import dev.rollout.activities.metrics.MetricActivitiesImpl;
import dev.rollout.activities.notify.NotificationActivitiesImpl;
import dev.rollout.activities.notify.log.LogSender;
import dev.rollout.activities.support.Secrets;
import dev.rollout.activities.traffic.TrafficActivitiesImpl;
import dev.rollout.activities.traffic.TrafficRouters;
import dev.rollout.activities.traffic.proxy.HttpProxyRouter;
import dev.rollout.workflow.RolloutWorkflow;
import dev.rollout.workflow.RolloutWorkflowImpl;
import dev.rollout.workflow.RolloutWorkflows;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A slim rollout worker for the chaos tests: the real {@link RolloutWorkflowImpl} and the real
 * activities for an HTTP proxy router, a JSON flag file, PostgreSQL (backup, migrate, restore),
 * scraped metrics and log notifications, each change written to the {@link Ledger}. It runs until
 * it is killed; it prints {@value #READY} once it polls.
 *
 * <p>Settings (environment): {@code CHAOS_TEMPORAL_ADDRESS}, {@code CHAOS_LEDGER_URL} (JDBC),
 * {@code CHAOS_LEDGER_USER}, {@code CHAOS_BACKUP_DIR}, and the plans' database secrets
 * ({@code NAME_URL}, {@code NAME_USER}).
 */
public final class ChaosWorker {

  public static final String READY = "CHAOS WORKER READY";

  /** Workflow tasks run at once: about two per core ({@code CHAOS_WORKFLOW_TASK_SLOTS} overrides). */
  static final int WORKFLOW_TASK_SLOTS = Integer.parseInt(System.getenv().getOrDefault("CHAOS_WORKFLOW_TASK_SLOTS",
      Integer.toString(Math.max(2, 2 * Runtime.getRuntime().availableProcessors()))));

  private ChaosWorker() {}

  public static void main(String[] args) throws InterruptedException {
    String address = required("CHAOS_TEMPORAL_ADDRESS");
    Ledger ledger = new Ledger(required("CHAOS_LEDGER_URL"), required("CHAOS_LEDGER_USER"));
    Secrets secrets = Secrets.fromEnvironment();

    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(address)
                // The test server on a busy machine can take more than the default 10 s to answer.
                .setRpcTimeout(Duration.ofSeconds(30))
                .setGrpcClientInterceptors(List.of(new NoStickyQueue()))
                .build());
    MetricActivitiesImpl metrics = new MetricActivitiesImpl();
    WorkerFactory factory = WorkerFactory.newInstance(WorkflowClient.newInstance(service));
    Worker worker =
        factory.newWorker(
            RolloutWorkflow.TASK_QUEUE,
            WorkerOptions.newBuilder()
                // A cold JVM replaying every rollout on a busy 2-core machine can take more than the
                // default 1 s between yields; that is slowness, not a deadlock.
                .setDefaultDeadlockDetectionTimeout(Duration.ofSeconds(20).toMillis())
                // Every workflow task here replays the rollout's whole history (no sticky cache, see
                // NoStickyQueue): CPU work. With the default 200 slots a restarted worker took every
                // waiting task at once (two dozen rollouts and their status queries); on a loaded
                // 2-core machine none finished within the 10 s workflow task timeout, so all timed out,
                // were handed out again and replayed again. A few at a time each finishes in time; the
                // rest wait on the server, where waiting costs nothing and no timeout runs.
                .setMaxConcurrentWorkflowTaskExecutionSize(WORKFLOW_TASK_SLOTS)
                .setMaxConcurrentWorkflowTaskPollers(2)
                .build());
    // The rollout, its lock children and the local activity releasing them (one list: RolloutWorkflows).
    RolloutWorkflows.registerOn(worker, ChaosTimeouts.workflowOptions());
    // Trigger watches run on their own task queue: a worker that does not serve it watches nothing.
    factory.newWorker(RolloutWorkflow.watchTaskQueue(RolloutWorkflow.TASK_QUEUE)).registerActivitiesImplementations(metrics);
    FlagStores stores = new FlagStores(List.of(new JsonFileFlagStore()));
    worker.registerActivitiesImplementations(
        new LedgeredTraffic(new TrafficActivitiesImpl(new TrafficRouters(List.of(new HttpProxyRouter()))), ledger),
        new LedgeredFlags(new FlagActivitiesImpl(stores), ledger),
        new LedgeredDatabase(
            new DatabaseActivitiesImpl(new DatabaseSettings(Path.of(required("CHAOS_BACKUP_DIR"))), secrets), ledger),
        metrics,
        new NotificationActivitiesImpl(List.of(new LogSender()), Clock.systemUTC()));
    factory.start();
    System.out.println(READY + " pid=" + ProcessHandle.current().pid());
    System.out.flush();
    Thread.currentThread().join();
  }

  private static String required(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) throw new IllegalStateException(name + " is not set");
    return value;
  }
}
