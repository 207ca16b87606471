package dev.rollout.bench;

import dev.rollout.plan.Plan;
import dev.rollout.plan.Plans;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import dev.rollout.testserver.TestServerLockLog;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The orchestration overhead of a rehearsal: each plan is rehearsed on the happy path, then a bare
 * workflow does the same timers and the same number of activities, one after another, on the same
 * time-skipping test server, configured as the rehearsal's (the floor). Prints both wall times (median of {@code runs}) and
 * their ratio; issue 13 asks for at most 1.3.
 *
 * <pre>java dev.rollout.bench.FloorBench [--runs N] [--plans DIR]</pre>
 */
public final class FloorBench {
  private FloorBench() {}

  /** One thing the rehearsal's workflow did: an activity call, or a timer of {@code millis}. */
  public record Op(boolean timer, long millis) {}

  @WorkflowInterface
  public interface BareWorkflow {
    /** Does {@code ops}, then waits until {@code answers} Updates have arrived. */
    @WorkflowMethod
    int run(List<Op> ops, int answers);

    /** A person's answer that does nothing but count: the floor of an Update's round trip. */
    @UpdateMethod
    int answer();
  }

  @ActivityInterface
  public interface BareActivity {
    void noop();
  }

  public static class BareActivityImpl implements BareActivity {
    @Override
    public void noop() {}
  }

  public static class BareWorkflowImpl implements BareWorkflow {
    private int answered;

    @Override
    public int run(List<Op> ops, int answers) {
      BareActivity activity = Workflow.newActivityStub(BareActivity.class,
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
      for (Op op : ops) {
        if (op.timer()) Workflow.sleep(Duration.ofMillis(op.millis()));
        else activity.noop();
      }
      Workflow.await(() -> answered >= answers);
      return ops.size();
    }

    @Override
    public int answer() {
      return ++answered;
    }
  }

  /**
   * Where a rehearsal's wall time went (medians, ms): the driver reading what the rollout does,
   * the people answering, and simulated time passing (the rollout's own activities and timers).
   */
  public record Split(int reads, long readingMillis, int answers, long answeringMillis, int waits, long waitingMillis) {}

  /**
   * One plan's medians. The CPU figures are the whole process's (worker, test server and client)
   * over the same spans as the wall times: on a busy machine they say what the wall times cannot.
   *
   * @param updates the people's Updates in one rehearsal (the floor has none)
   * @param historyBytes the size of the rehearsal's history
   */
  public record Row(String plan, long rehearsalMillis, long floorMillis, long rehearsalCpuMillis, long floorCpuMillis,
      int activities, int timers, int updates, long historyBytes, Split split, long answeredFloorMillis) {
    public double ratio() {
      return floorMillis == 0 ? Double.NaN : (double) rehearsalMillis / floorMillis;
    }

    /** Against a floor that also takes the same number of Updates: what is left beyond the people's answers. */
    public double answeredRatio() {
      return answeredFloorMillis == 0 ? Double.NaN : (double) rehearsalMillis / answeredFloorMillis;
    }

    public double cpuRatio() {
      return floorCpuMillis == 0 ? Double.NaN : (double) rehearsalCpuMillis / floorCpuMillis;
    }
  }

  public static void main(String[] args) throws IOException {
    PlanRuns o = PlanRuns.parse(args);
    run(o.dir(), o.runs(), System.out);
  }

  public static List<Row> run(Path dir, int runs, PrintStream out) throws IOException {
    List<Path> files = PlanRuns.files(dir);
    rehearse(Plans.load(files.get(0))); // warm-up
    out.printf(Locale.ROOT, "%-32s %13s %9s %6s %8s %8s %6s %10s %7s %8s %11s%n", "plan", "rehearsal ms", "floor ms",
        "ratio", "cpu ms", "floor cpu", "ratio", "activities", "timers", "updates", "history KB");
    List<Row> rows = new ArrayList<>();
    for (Path file : files) {
      Plan plan = Plans.load(file);
      List<Long> rehearsal = new ArrayList<>();
      List<Long> floor = new ArrayList<>();
      List<Long> rehearsalCpu = new ArrayList<>();
      List<Long> floorCpu = new ArrayList<>();
      List<Long> reading = new ArrayList<>();
      List<Long> answering = new ArrayList<>();
      List<Long> waiting = new ArrayList<>();
      List<Long> answeredFloor = new ArrayList<>();
      Rehearsed last = null;
      for (int i = 0; i < runs; i++) {
        last = rehearse(plan);
        rehearsal.add(last.wallMillis());
        rehearsalCpu.add(last.cpuMillis());
        reading.add(last.driving().reading().toMillis());
        answering.add(last.driving().answering().toMillis());
        waiting.add(last.driving().waiting().toMillis());
        Spent bare = floor(last.ops(), 0);
        floor.add(bare.wallMillis());
        floorCpu.add(bare.cpuMillis());
        answeredFloor.add(floor(last.ops(), last.updates()).wallMillis());
      }
      List<Op> ops = last.ops();
      Row row = new Row(PlanRuns.name(file), PlanRuns.median(rehearsal), PlanRuns.median(floor),
          PlanRuns.median(rehearsalCpu), PlanRuns.median(floorCpu),
          (int) ops.stream().filter(o -> !o.timer()).count(), (int) ops.stream().filter(Op::timer).count(),
          last.updates(), last.historyBytes(),
          new Split(last.driving().reads(), PlanRuns.median(reading), last.driving().answers(), PlanRuns.median(answering),
              last.driving().waits(), PlanRuns.median(waiting)),
          PlanRuns.median(answeredFloor));
      rows.add(row);
      out.printf(Locale.ROOT, "%-32s %13d %9d %5.2fx %8d %9d %5.2fx %10d %7d %8d %11d%n",
          row.plan(), row.rehearsalMillis(), row.floorMillis(), row.ratio(), row.rehearsalCpuMillis(),
          row.floorCpuMillis(), row.cpuRatio(), row.activities(), row.timers(), row.updates(), row.historyBytes() / 1024);
    }
    out.printf(Locale.ROOT, "%nwhere the rehearsal's wall time went (median ms, count), and a floor that also takes the"
        + " same Updates:%n%-32s %16s %16s %22s %18s %7s%n",
        "plan", "reading", "answering", "time passing", "floor+updates ms", "ratio");
    for (Row row : rows) {
      Split t = row.split();
      out.printf(Locale.ROOT, "%-32s %9d ms %4d %9d ms %4d %15d ms %4d %18d %6.2fx%n", row.plan(), t.readingMillis(), t.reads(),
          t.answeringMillis(), t.answers(), t.waitingMillis(), t.waits(), row.answeredFloorMillis(), row.answeredRatio());
    }
    return rows;
  }

  private record Rehearsed(long wallMillis, long cpuMillis, List<Op> ops, int updates, long historyBytes,
      RehearsalResult.Driving driving) {}

  private static Rehearsed rehearse(Plan plan) {
    try (Rehearsal r = Rehearsal.open(Scenario.HAPPY)) {
      r.start(plan, Rehearsal.STARTER);
      RehearsalResult result = r.drive();
      // Start to result, as the wall time and as the floor's: neither side's setup nor teardown.
      long cpu = result.cpuTime().toMillis();
      if (result.result() == null) throw new IllegalStateException(plan.name() + ": " + result.stuck());
      List<Op> ops = new ArrayList<>();
      var history = r.client().fetchHistory(r.workflowId()).getHistory();
      int updates = 0;
      for (HistoryEvent e : history.getEventsList()) {
        if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) ops.add(new Op(false, 0));
        if (e.getEventType() == EventType.EVENT_TYPE_TIMER_STARTED) {
          var timeout = e.getTimerStartedEventAttributes().getStartToFireTimeout();
          ops.add(new Op(true, timeout.getSeconds() * 1000 + timeout.getNanos() / 1_000_000));
        }
        if (e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED) updates++;
      }
      return new Rehearsed(result.wallTime().toMillis(), cpu, ops, updates, history.getSerializedSize(), result.driving());
    }
  }

  /** Wall and process CPU time, start to result. */
  private record Spent(long wallMillis, long cpuMillis) {}

  /**
   * The bare workflow's wall and CPU time, start to result, on a fresh time-skipping test server, with
   * {@code answers} Updates sent one after another while it runs (0: the floor issue 13 names).
   */
  private static Spent floor(List<Op> ops, int answers) {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      TestServerLockLog.forget(env); // as the rehearsal's server: the same server on both sides
      Worker worker = env.newWorker("floor");
      worker.registerWorkflowImplementationTypes(BareWorkflowImpl.class);
      worker.registerActivitiesImplementations(new BareActivityImpl());
      env.start();
      BareWorkflow wf = env.getWorkflowClient().newWorkflowStub(BareWorkflow.class,
          WorkflowOptions.newBuilder().setTaskQueue("floor").setWorkflowId("floor").build());
      long began = System.nanoTime();
      long cpuBegan = ScaleBench.cpuNanos();
      WorkflowClient.start(wf::run, ops, answers);
      for (int i = 0; i < answers; i++) wf.answer();
      try {
        WorkflowStub.fromTyped(wf).getResult(10, TimeUnit.MINUTES, Integer.class);
      } catch (TimeoutException e) {
        throw new IllegalStateException("gave up after 10 minutes waiting for the floor workflow's result", e);
      }
      return new Spent((System.nanoTime() - began) / 1_000_000, (ScaleBench.cpuNanos() - cpuBegan) / 1_000_000);
    }
  }
}
