package dev.rollout.testserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Plans;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import dev.rollout.workflow.Outcome;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A test server's lock log keeps nothing (each workflow update used to scan everything the
 * server ever did, under its global lock), and the server still keeps real time and balances its
 * locks: workflows with activities, timers and children complete, and a 1 s timer takes a second.
 */
class TestServerLockLogTest {
  static final String QUEUE = "lock-log-" + UUID.randomUUID();

  @WorkflowInterface
  public interface Sleeper {
    @WorkflowMethod
    String run(long sleepMillis, boolean child);
  }

  @ActivityInterface
  public interface Echo {
    String echo(String s);
  }

  public static class SleeperImpl implements Sleeper {
    @Override
    public String run(long sleepMillis, boolean child) {
      Echo echo = Workflow.newActivityStub(Echo.class,
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());
      String said = echo.echo("a");
      Workflow.sleep(Duration.ofMillis(sleepMillis));
      if (child) said += Workflow.newChildWorkflowStub(Sleeper.class).run(1, false);
      return said;
    }
  }

  @Test
  void theLockLogKeepsNothingAndTheServerStillKeepsRealTime() throws Exception {
    TestServicesStarter services = new TestServicesStarter(true, 0);
    assertThat(TestServerLockLog.forget(services))
        .as("the test server's fields are where this SDK version keeps them (see TestServerLockLog)").isTrue();
    String name = "lock-log-" + UUID.randomUUID();
    InProcessServerBuilder builder = InProcessServerBuilder.forName(name).directExecutor();
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    Server server = builder.build().start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setChannel(channel).build());
    WorkerFactory factory = WorkerFactory.newInstance(WorkflowClient.newInstance(stubs));
    try {
      Worker worker = factory.newWorker(QUEUE);
      worker.registerWorkflowImplementationTypes(SleeperImpl.class);
      worker.registerActivitiesImplementations((Echo) s -> s);
      factory.start();
      WorkflowClient client = factory.getWorkflowClient();

      List<WorkflowStub> runs = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        WorkflowStub stub = client.newUntypedWorkflowStub("Sleeper",
            WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("lock-log-" + i + "-" + UUID.randomUUID()).build());
        stub.start(10L, true);
        runs.add(stub);
      }
      for (WorkflowStub run : runs) assertThat(run.getResult(60, TimeUnit.SECONDS, String.class)).isEqualTo("aa");

      long began = System.nanoTime();
      WorkflowStub slow = client.newUntypedWorkflowStub("Sleeper",
          WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("lock-log-slow-" + UUID.randomUUID()).build());
      slow.start(1_000L, false);
      assertThat(slow.getResult(60, TimeUnit.SECONDS, String.class)).isEqualTo("a");
      assertThat(Duration.ofNanos(System.nanoTime() - began)).as("real time, not skipped").isGreaterThanOrEqualTo(Duration.ofSeconds(1));

      assertThat(lockLog(services)).isEmpty();
    } finally {
      factory.shutdownNow();
      stubs.shutdownNow();
      channel.shutdownNow();
      server.shutdownNow();
      services.close();
    }
  }

  private static List<?> lockLog(TestServicesStarter services) throws ReflectiveOperationException {
    Field timerField = TestServicesStarter.class.getDeclaredField("selfAdvancingTimer");
    timerField.setAccessible(true);
    Object timer = timerField.get(services);
    Field events = timer.getClass().getDeclaredField("lockEvents");
    events.setAccessible(true);
    return (List<?>) events.get(timer);
  }

  /** A rehearsal's time-skipping server keeps no lock log either, and weeks still pass in moments. */
  @Test
  void aRehearsalsServerKeepsNoLockLogAndStillSkipsTime() throws Exception {
    Plan plan = Plans.load(Path.of("..", "plans", "drivemind-7-day.yaml"));
    // From a fixed Monday morning: the plan's 02:00-04:00 UTC windows must not make the run depend on the hour.
    Scenario monday = new Scenario("happy, from a Monday morning", Instant.parse("2026-03-02T09:00:00Z"), null, null, null, null, null);
    try (Rehearsal rehearsal = Rehearsal.open(monday)) {
      rehearsal.start(plan, Rehearsal.STARTER);
      RehearsalResult result = rehearsal.drive();
      assertThat(result.result()).as(result.stuck()).isNotNull();
      assertThat(result.result().outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(Duration.between(result.startedAt(), result.endedAt())).isGreaterThanOrEqualTo(Duration.ofDays(6));
      assertThat(lockLog(rehearsal.env())).isEmpty();
    }
  }

  private static List<?> lockLog(TestWorkflowEnvironment env) throws ReflectiveOperationException {
    return lockLog(TestServerLockLog.servicesOf(env));
  }
}
