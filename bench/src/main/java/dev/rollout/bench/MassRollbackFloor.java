package dev.rollout.bench;

import dev.rollout.activities.TrafficActivities;
import dev.rollout.bench.ScaleBench.Spread;
import dev.rollout.bench.ScaleBench.Times;
import dev.rollout.plan.Router;
import dev.rollout.workflow.RolloutWorkflow;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.ActivityCompletionClient;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.spring.boot.ActivityImpl;
import io.temporal.spring.boot.WorkflowImpl;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The floor under {@link ScaleBench}'s all-at-once rollback: N bare workflows on the same worker as
 * shipped (same embedded server reached in-process, same {@code rollouts} worker, slots, pollers and
 * workflow cache of 250) each do only the round trips a rollback needs: (i) the step, our real
 * {@code SetWeight} activity to 10 %; (ii) a watch on the watch task queue that returns without
 * completing (asynchronous completion, like the worker's {@code WatchScheduler}); when the bench
 * completes it, (iii) the undo, the same {@code SetWeight} activity to 0 % (a PUT and a read-back
 * GET to the same stand-in router ours calls); (iv) return. No locks, plan, version marker, search
 * attributes, status or notification. Once all N are baking (N ≫ 250: most are out of the cache,
 * as ours are), all N watches are completed at once from 4 threads (as the scheduler's
 * {@code watch-complete-#}) and it prints what ScaleBench prints for its mass rollback.
 *
 * <pre>java dev.rollout.bench.MassRollbackFloor N</pre>
 */
public final class MassRollbackFloor {
  /** The watch scheduler's completion threads ({@code rollout.worker.watch-reply-threads}). */
  static final int COMPLETERS = 4;

  private MassRollbackFloor() {}

  @WorkflowInterface
  public interface FloorRollout {
    @WorkflowMethod(name = "FloorRollout")
    String run(String service, Router.HttpProxy router);
  }

  /** The floor's watch activity type: on the same task queue as ours, so not named {@code Watch}. */
  static final String WATCH = "FloorWatch";

  @ActivityInterface
  public interface FloorWatch {
    @ActivityMethod(name = WATCH)
    void watch(String service);
  }

  @WorkflowImpl(taskQueues = RolloutWorkflow.TASK_QUEUE)
  public static class FloorRolloutImpl implements FloorRollout {
    private final TrafficActivities traffic = Workflow.newActivityStub(TrafficActivities.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
    private final FloorWatch watch = Workflow.newActivityStub(FloorWatch.class, ActivityOptions.newBuilder()
        .setTaskQueue(RolloutWorkflow.watchTaskQueue(RolloutWorkflow.TASK_QUEUE))
        .setStartToCloseTimeout(Duration.ofHours(2)).build());

    @Override
    public String run(String service, Router.HttpProxy router) {
      String id = Workflow.getInfo().getWorkflowId();
      traffic.setWeight(id, "edge", router, 10);
      watch.watch(service);
      traffic.setWeight(id, "edge", router, 0);
      return "rolled back";
    }
  }

  /** Registers each watch's task token and returns without completing it. */
  @ActivityImpl(taskQueues = RolloutWorkflow.TASK_QUEUE + "-watch")
  public static class FloorWatchImpl implements FloorWatch {
    final Map<String, byte[]> tokens = new ConcurrentHashMap<>();

    @Override
    public void watch(String service) {
      ActivityExecutionContext context = Activity.getExecutionContext();
      tokens.put(service, context.getTaskToken());
      context.doNotCompleteOnReturn();
    }
  }

  /** The floor's beans, found by the Temporal starter's auto-discovery (see {@link #run}). */
  @Configuration(proxyBeanMethods = false)
  static class Beans {
    @Bean
    FloorWatchImpl floorWatch() {
      return new FloorWatchImpl();
    }
  }

  /** The mass rollback of N floor workflows, in ScaleBench's terms. */
  public record Report(int workflows, long startAllMillis, Spread breachToClosed, Spread seenToClosed,
      Spread breachToZero, double cpuMillisPerRollback, int closed, long eventsPerWorkflow) {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) throw new IllegalArgumentException("usage: MassRollbackFloor N");
    run(Integer.parseInt(args[0]), System.out);
    System.exit(0); // the embedded server's threads are not all daemons
  }

  public static Report run(int n, PrintStream out) throws Exception {
    try (ScaleTarget target = new ScaleTarget();
        // The floor's workflow and watch join the shipped workers of their task queues.
        BenchWorker worker = new BenchWorker(List.of(Beans.class),
            "--spring.temporal.workers-auto-discovery.packages=dev.rollout.bench")) {
      return measure(n, target, worker, out);
    }
  }

  private static Report measure(int n, ScaleTarget target, BenchWorker worker, PrintStream out) throws Exception {
    WorkflowClient client = worker.client();
    FloorWatchImpl watches = worker.bean(FloorWatchImpl.class);
    out.printf(Locale.ROOT, "Mass-rollback floor: %,d bare workflows (step, asynchronous watch, undo), one worker + embedded"
        + " server%n  machine: %d cores, load average %.1f at start, max heap %,d MB%n", n,
        Runtime.getRuntime().availableProcessors(), ScaleBench.load(), Runtime.getRuntime().maxMemory() >> 20);
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) ids.add("floor-" + ScaleBench.service(i));
    long began = System.nanoTime();
    ExecutorService starters = Executors.newFixedThreadPool(8);
    List<Callable<Void>> starts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String service = ScaleBench.service(i);
      Router.HttpProxy router = new Router.HttpProxy(target.url() + "/admin/" + service, null);
      String id = ids.get(i);
      starts.add(() -> {
        FloorRollout wf = client.newWorkflowStub(FloorRollout.class, WorkflowOptions.newBuilder()
            .setWorkflowId(id).setTaskQueue(RolloutWorkflow.TASK_QUEUE).build());
        WorkflowClient.start(wf::run, service, router);
        return null;
      });
    }
    for (Future<Void> f : starters.invokeAll(starts)) f.get();
    starters.shutdown();
    ScaleBench.waitFor(() -> watches.tokens.size() >= n, Duration.ofMinutes(20),
        () -> "watched " + watches.tokens.size() + " of " + n);
    long startAll = ScaleBench.ms(System.nanoTime() - began);
    out.printf(Locale.ROOT, "  start all: %,d ms until every workflow had run its step and was watched (load average %.1f)%n",
        startAll, ScaleBench.load());

    // All breach at once: every watch completed, as the scheduler's completion threads do.
    ActivityCompletionClient completions = client.newActivityCompletionClient();
    ExecutorService completers = Executors.newFixedThreadPool(COMPLETERS);
    int returnedBefore = worker.returns.size();
    long allAt = System.currentTimeMillis();
    long cpuAll = ScaleBench.cpuNanos();
    for (int i = 0; i < n; i++) {
      byte[] token = watches.tokens.get(ScaleBench.service(i));
      completers.execute(() -> completions.complete(token, null));
    }
    long lastReturnSeen = ScaleBench.awaitReturns(worker.returns, ids, returnedBefore, Duration.ofMinutes(10));
    double cpuMs = (ScaleBench.cpuNanos() - cpuAll) / 1e6;
    completers.shutdown();
    List<Times> closes = ScaleBench.closes(client, ids, WATCH);
    List<Long> done = new ArrayList<>();
    List<Long> seenToDone = new ArrayList<>();
    List<Long> zeroed = new ArrayList<>();
    List<Long> events = new ArrayList<>();
    int closed = 0;
    for (int i = 0; i < n; i++) {
      Times t = closes.get(i);
      if (t.closed() > 0) closed++;
      done.add(t.closed() - allAt);
      seenToDone.add(t.closed() - t.fired());
      events.add((long) t.events());
      Long at = target.zeroedAt.get(ScaleBench.service(i));
      if (at == null) throw new IllegalStateException(ids.get(i) + " closed but its canary was never set back to 0 %");
      zeroed.add(at - allAt);
    }
    Spread all = Spread.of(done);
    Report r = new Report(n, startAll, all, Spread.of(seenToDone), Spread.of(zeroed), cpuMs / n, closed,
        Spread.of(events).median());
    out.printf(Locale.ROOT, "  all breach (%,d at once, load average %.1f after): %,d closed; breach -> closed %s%n",
        n, ScaleBench.load(), closed, all);
    out.printf(Locale.ROOT, "                            seen -> closed %s%n", r.seenToClosed());
    out.printf(Locale.ROOT, "                            first seen -> closed %s%n", ScaleBench.fromFirstSeen(closes));
    out.printf(Locale.ROOT, "                            breach -> canary at 0 %% at the router %s%n", r.breachToZero());
    out.printf(Locale.ROOT, "                            CPU %,.1f ms per rollback (worker + server + the bench's stand-in"
        + " router and completions; window ended %,d ms after the last close)%n", r.cpuMillisPerRollback(),
        lastReturnSeen - allAt - all.max());
    out.printf(Locale.ROOT, "  history: %d events per workflow (median)%n", r.eventsPerWorkflow());
    return r;
  }
}
