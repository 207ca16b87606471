package dev.rollout.bench;

import dev.rollout.plan.Plan;
import dev.rollout.plan.Plans;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
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

/**
 * The orchestration overhead of a rehearsal: each plan is rehearsed on the happy path, then a bare
 * workflow does the same timers and the same number of activities, one after another, on the same
 * time-skipping test server (the floor). Prints both wall times (median of {@code runs}) and
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
    @WorkflowMethod
    int run(List<Op> ops);
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
    @Override
    public int run(List<Op> ops) {
      BareActivity activity = Workflow.newActivityStub(BareActivity.class,
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
      for (Op op : ops) {
        if (op.timer()) Workflow.sleep(Duration.ofMillis(op.millis()));
        else activity.noop();
      }
      return ops.size();
    }
  }

  public record Row(String plan, long rehearsalMillis, long floorMillis, int activities, int timers) {
    public double ratio() {
      return floorMillis == 0 ? Double.NaN : (double) rehearsalMillis / floorMillis;
    }
  }

  public static void main(String[] args) throws IOException {
    PlanRuns o = PlanRuns.parse(args);
    run(o.dir(), o.runs(), System.out);
  }

  public static List<Row> run(Path dir, int runs, PrintStream out) throws IOException {
    List<Path> files = PlanRuns.files(dir);
    rehearse(Plans.load(files.get(0))); // warm-up
    out.printf(Locale.ROOT, "%-32s %14s %10s %7s %11s %7s%n", "plan", "rehearsal ms", "floor ms", "ratio", "activities", "timers");
    List<Row> rows = new ArrayList<>();
    for (Path file : files) {
      Plan plan = Plans.load(file);
      List<Long> rehearsal = new ArrayList<>();
      List<Long> floor = new ArrayList<>();
      List<Op> ops = List.of();
      for (int i = 0; i < runs; i++) {
        Rehearsed r = rehearse(plan);
        rehearsal.add(r.wallMillis());
        ops = r.ops();
        floor.add(floor(ops));
      }
      Row row = new Row(PlanRuns.name(file), PlanRuns.median(rehearsal), PlanRuns.median(floor),
          (int) ops.stream().filter(o -> !o.timer()).count(), (int) ops.stream().filter(Op::timer).count());
      rows.add(row);
      out.printf(Locale.ROOT, "%-32s %14d %10d %6.2fx %11d %7d%n",
          row.plan(), row.rehearsalMillis(), row.floorMillis(), row.ratio(), row.activities(), row.timers());
    }
    return rows;
  }

  private record Rehearsed(long wallMillis, List<Op> ops) {}

  private static Rehearsed rehearse(Plan plan) {
    try (Rehearsal r = Rehearsal.open(Scenario.HAPPY)) {
      r.start(plan, Rehearsal.STARTER);
      RehearsalResult result = r.drive();
      if (result.result() == null) throw new IllegalStateException(plan.name() + ": " + result.stuck());
      List<Op> ops = new ArrayList<>();
      for (HistoryEvent e : r.client().fetchHistory(r.workflowId()).getEvents()) {
        if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) ops.add(new Op(false, 0));
        if (e.getEventType() == EventType.EVENT_TYPE_TIMER_STARTED) {
          var timeout = e.getTimerStartedEventAttributes().getStartToFireTimeout();
          ops.add(new Op(true, timeout.getSeconds() * 1000 + timeout.getNanos() / 1_000_000));
        }
      }
      return new Rehearsed(result.wallTime().toMillis(), ops);
    }
  }

  /** The bare workflow's wall time, start to result, on a fresh time-skipping test server. */
  private static long floor(List<Op> ops) {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      Worker worker = env.newWorker("floor");
      worker.registerWorkflowImplementationTypes(BareWorkflowImpl.class);
      worker.registerActivitiesImplementations(new BareActivityImpl());
      env.start();
      BareWorkflow wf = env.getWorkflowClient().newWorkflowStub(BareWorkflow.class,
          WorkflowOptions.newBuilder().setTaskQueue("floor").setWorkflowId("floor").build());
      long began = System.nanoTime();
      wf.run(ops);
      return (System.nanoTime() - began) / 1_000_000;
    }
  }
}
