package dev.rollout.bench;

import dev.rollout.activities.metrics.MetricActivitiesImpl;
import dev.rollout.activities.metrics.WatchScheduler;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Plans;
import dev.rollout.workflow.Outcome;
import dev.rollout.workflow.RolloutIds;
import dev.rollout.workflow.RolloutRequest;
import dev.rollout.workflow.RolloutResult;
import dev.rollout.workflow.RolloutWorkflow;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * N rollouts of a one-phase plan on ONE worker as shipped (the Spring Boot worker with its
 * embedded Temporal server, real activities, rollout-worker.yaml's capacity), in real time. Each
 * rollout sets a 10 % weight through a proxy router, then bakes for 2 h with one trigger (error
 * rate of its own service above 5 %, checked every 5 s) against one local scrape endpoint that
 * serves every service's error rate. Prints: time to start all, heap (after GC) and RSS, threads,
 * CPU while baking, trigger checks per second against the expected N / 5 s, breach → rolled back
 * for single rollouts one at a time and for all of them at once (median, p99, max), history
 * events per rollout. Timings are printed, never asserted.
 *
 * <pre>java dev.rollout.bench.ScaleBench N [--steady SECONDS] [--singles K]</pre>
 */
public final class ScaleBench {
  static final Duration INTERVAL = Duration.ofSeconds(5);
  static final double BREACH = 50.0;

  private ScaleBench() {}

  public record Options(int rollouts, Duration steady, int singles) {}

  /** Milliseconds: median, 99th percentile, max. */
  public record Spread(long median, long p99, long max, int count) {
    static Spread of(List<Long> values) {
      if (values.isEmpty()) return new Spread(-1, -1, -1, 0);
      List<Long> sorted = new ArrayList<>(values);
      Collections.sort(sorted);
      int n = sorted.size();
      return new Spread(sorted.get((n - 1) / 2), sorted.get(Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)),
          sorted.get(n - 1), n);
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "median %,d ms, p99 %,d ms, max %,d ms (n=%d)", median, p99, max, count);
    }
  }

  public record Report(
      int rollouts,
      long startAllMillis,
      int watched,
      double checksPerSecond,
      double expectedChecksPerSecond,
      double readsPerSecond,
      double cpuPercentWhileBaking,
      long heapMb,
      long rssMb,
      int threads,
      int ownThreads,
      Spread singleSeen,
      Spread singleSeenToRolledBack,
      Spread singleBreachToRolledBack,
      Spread singleBreachToUndone,
      Spread allBreachToRolledBack,
      Spread allBreachToUndone,
      Spread allSeenToRolledBack,
      int allRolledBack,
      int allBreached,
      long eventsPerRollout) {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) throw new IllegalArgumentException("usage: ScaleBench N [--steady SECONDS] [--singles K]");
    int n = Integer.parseInt(args[0]);
    Duration steady = Duration.ofSeconds(30);
    int singles = 20;
    for (int i = 1; i < args.length - 1; i += 2) {
      switch (args[i]) {
        case "--steady" -> steady = Duration.ofSeconds(Long.parseLong(args[i + 1]));
        case "--singles" -> singles = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    run(new Options(n, steady, singles), System.out);
    System.exit(0); // the embedded server's threads are not all daemons
  }

  public static Report run(Options o, PrintStream out) throws Exception {
    int n = o.rollouts();
    try (ScaleTarget target = new ScaleTarget()) {
      for (int i = 0; i < n; i++) target.errorRate.put(service(i), 0.0);
      try (BenchWorker worker = new BenchWorker(List.of())) {
        return measure(o, target, worker, out);
      }
    }
  }

  private static Report measure(Options o, ScaleTarget target, BenchWorker worker, PrintStream out) throws Exception {
    int n = o.rollouts();
    WorkflowClient client = worker.client();
    MetricActivitiesImpl metrics = worker.bean(MetricActivitiesImpl.class);
    int threadsBefore = Thread.activeCount();
    out.printf(Locale.ROOT, "Scale benchmark: %,d rollouts, one trigger each every %d s, one worker + embedded server%n",
        n, INTERVAL.toSeconds());
    out.printf(Locale.ROOT, "  machine: %d cores, load average %.1f at start, max heap %,d MB%n",
        Runtime.getRuntime().availableProcessors(), load(), Runtime.getRuntime().maxMemory() >> 20);

    long heapBefore = HeapShare.afterGc();
    // Plans are parsed before the clock starts: parsing is the API's work, not the worker's.
    List<Plan> plans = new ArrayList<>(n);
    for (int i = 0; i < n; i++) plans.add(Plans.parse(plan(target.url(), service(i)), service(i) + ".yaml"));
    long began = System.nanoTime();
    long cpuBegan = cpuNanos();
    ExecutorService starters = Executors.newFixedThreadPool(8);
    List<Callable<Void>> starts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Plan plan = plans.get(i);
      starts.add(() -> {
        RolloutWorkflow wf = client.newWorkflowStub(RolloutWorkflow.class, WorkflowOptions.newBuilder()
            .setWorkflowId(RolloutIds.forPlan(plan)).setTaskQueue(RolloutWorkflow.TASK_QUEUE).build());
        WorkflowClient.start(wf::run, new RolloutRequest(RolloutIds.forPlan(plan), plan, "bench", "scale-bench"));
        return null;
      });
    }
    for (Future<Void> f : starters.invokeAll(starts)) f.get();
    starters.shutdown();
    long started = System.nanoTime();
    waitFor(() -> target.weight.size() >= n && metrics.watchStats().watches() >= n, Duration.ofMinutes(20),
        () -> "weights set " + target.weight.size() + ", watched " + metrics.watchStats().watches() + " of " + n);
    long startAll = ms(System.nanoTime() - began);
    double startCpuMs = (cpuNanos() - cpuBegan) / 1e6;
    out.printf(Locale.ROOT, "  start all: %,d ms (start calls %,d ms) until every rollout had run its step and was watched:"
        + " %,.1f rollouts/s (load average %.1f); CPU %,.1f ms per rollout started (worker + server + bench client)%n",
        startAll, ms(started - began), n * 1000.0 / Math.max(1, startAll), load(), startCpuMs / n);

    // Baking: checks per second against expected, CPU, memory, threads.
    WatchScheduler.Stats s0 = metrics.watchStats();
    long cpu0 = cpuNanos();
    long t0 = System.nanoTime();
    LockSupport.parkNanos(o.steady().toNanos());
    WatchScheduler.Stats s1 = metrics.watchStats();
    double secs = (System.nanoTime() - t0) / 1e9;
    double cpu = (cpuNanos() - cpu0) / 1e9 / secs * 100;
    double checks = (s1.checks() - s0.checks()) / secs;
    double reads = (s1.reads() - s0.reads()) / secs;
    double expected = s1.watches() / (double) INTERVAL.toSeconds();
    double loadBaking = load();
    // The bench's own parsed plans are not the worker's: measured, then dropped before "heap after GC".
    long heapWithPlans = HeapShare.afterGc();
    plans.clear();
    starts.clear();
    long heapBytes = HeapShare.afterGc();
    long heap = heapBytes >> 20;
    List<HeapShare.HistoryBytes> histories = new ArrayList<>();
    for (int k = 0; k < Math.min(20, n); k++) histories.add(HeapShare.HistoryBytes.of(client.fetchHistory(id(k * n / Math.min(20, n))).getEvents()));
    long rss = rssMb();
    Map<String, Integer> groups = threadGroups();
    int threads = groups.values().stream().mapToInt(Integer::intValue).sum();
    int own = groups.entrySet().stream().filter(e -> e.getKey().startsWith("watch-") || e.getKey().startsWith("task-slot")
        || e.getKey().startsWith("rollout-http") || e.getKey().startsWith("bench-")).mapToInt(Map.Entry::getValue).sum();
    out.printf(Locale.ROOT, "  baking (%.0f s, load average %.1f): %,.1f trigger checks/s, expected %,.1f (%.1f %%);"
        + " %,.1f metric reads/s; %,.1f heartbeats/s; CPU %.0f %% of one core (worker + server)%n",
        secs, loadBaking, checks, expected, 100 * checks / expected, reads, (s1.heartbeats() - s0.heartbeats()) / secs, cpu);
    out.printf(Locale.ROOT, "  memory: heap %,d MB after GC, RSS %,d MB; threads %d (%d before the rollouts; the"
        + " rollout code's own: %d)%n", heap, rss, threads, threadsBefore, own);
    out.printf(Locale.ROOT, "  heap per 1,000 rollouts baking: %,.1f MB after GC (%,d MB before the rollouts; the bench's own %,d parsed"
        + " plans, %,.1f MB, dropped before measuring)%n", (heapBytes - heapBefore) / 1048576.0 * 1000 / n, heapBefore >> 20, n,
        (heapWithPlans - heapBytes) / 1048576.0);
    out.printf(Locale.ROOT, "  history while baking: %,d bytes per rollout (median of %d; %,d bytes of payload data in %d payloads)%n",
        Spread.of(histories.stream().map(HeapShare.HistoryBytes::bytes).toList()).median(), histories.size(),
        Spread.of(histories.stream().map(HeapShare.HistoryBytes::payloadBytes).toList()).median(),
        Spread.of(histories.stream().map(h -> (long) h.payloads()).toList()).median());
    out.printf(Locale.ROOT, "  threads by name: %s%n", groups);

    // One breach at a time, then all at once: the most threads alive meanwhile.
    AtomicInteger peakThreads = new AtomicInteger(threads);
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        peakThreads.accumulateAndGet(Thread.activeCount(), Math::max);
        LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
      }
    }, "bench-thread-sampler");
    sampler.setDaemon(true);
    sampler.start();
    List<Long> seen = new ArrayList<>();
    List<Long> seenToDone = new ArrayList<>();
    List<Long> breachToDone = new ArrayList<>();
    List<Long> breachToUndone = new ArrayList<>();
    List<Integer> singles = new ArrayList<>();
    for (int k = 0; k < Math.min(o.singles(), n); k++) {
      int i = (int) ((long) k * n / Math.max(1, Math.min(o.singles(), n)));
      singles.add(i);
      long breachAt = System.currentTimeMillis();
      target.errorRate.put(service(i), BREACH);
      RolloutResult result = client.newUntypedWorkflowStub(id(i)).getResult(2, TimeUnit.MINUTES, RolloutResult.class);
      if (result.outcome() != Outcome.ROLLED_BACK) throw new IllegalStateException(id(i) + " ended " + result.outcome());
      Times t = times(client, id(i), WATCH);
      seen.add(t.fired - breachAt);
      seenToDone.add(t.closed - t.fired);
      breachToDone.add(t.closed - breachAt);
      breachToUndone.add(zeroedAt(target, i) - breachAt);
    }
    Spread single = Spread.of(breachToDone);
    out.printf(Locale.ROOT, "  one breach (x%d): breach -> seen %s%n", singles.size(), Spread.of(seen));
    out.printf(Locale.ROOT, "                    seen -> rolled back %s%n", Spread.of(seenToDone));
    out.printf(Locale.ROOT, "                    breach -> rolled back %s%n", single);
    out.printf(Locale.ROOT, "                    breach -> canary at 0 %% at the router %s%n", Spread.of(breachToUndone));

    // Everyone else at once. The bench waits on the worker's own note of each run returning
    // (RunReturns: no call to the server while it rolls back); the times are the server's, read
    // from each history after the window.
    List<Integer> rest = new ArrayList<>();
    for (int i = 0; i < n; i++) if (!singles.contains(i)) rest.add(i);
    List<String> restIds = rest.stream().map(ScaleBench::id).toList();
    int returnedBefore = worker.returns.size();
    long allAt = System.currentTimeMillis();
    long cpuAll = cpuNanos();
    for (int i : rest) target.errorRate.put(service(i), BREACH);
    long lastReturnSeen = awaitReturns(worker.returns, restIds, returnedBefore, Duration.ofMinutes(10));
    double rollbackCpuMs = (cpuNanos() - cpuAll) / 1e6;
    List<Times> closes = closes(client, restIds, WATCH);
    long rolledBack = 0;
    List<Long> allDone = new ArrayList<>();
    List<Long> allSeenToDone = new ArrayList<>();
    List<Long> events = new ArrayList<>();
    List<Long> allUndone = new ArrayList<>();
    for (int i : rest) allUndone.add(zeroedAt(target, i) - allAt);
    for (int k = 0; k < rest.size(); k++) {
      Times t = closes.get(k);
      boolean rolled = worker.returns.result(restIds.get(k))
          .filter(r -> r instanceof RolloutResult result && result.outcome() == Outcome.ROLLED_BACK).isPresent();
      if (rolled && t.closed() > 0) rolledBack++;
      allDone.add(t.closed - allAt);
      allSeenToDone.add(t.closed - t.fired);
      events.add((long) t.events);
    }
    sampler.interrupt();
    Spread all = Spread.of(allDone);
    Spread allSeen = Spread.of(allSeenToDone);
    Spread firstSeen = fromFirstSeen(closes);
    long eventsMedian = Spread.of(events).median();
    out.printf(Locale.ROOT, "  all breach (%,d at once, load average %.1f after): %,d rolled back; breach -> rolled back %s%n",
        rest.size(), load(), rolledBack, all);
    out.printf(Locale.ROOT, "                            seen -> rolled back %s%n", allSeen);
    out.printf(Locale.ROOT, "                            first seen -> rolled back %s%n", firstSeen);
    Spread allZero = Spread.of(allUndone);
    out.printf(Locale.ROOT, "                            breach -> canary at 0 %% at the router %s%n", allZero);
    out.printf(Locale.ROOT, "                            CPU %,.1f ms per rollout rolled back (worker + server + the bench's"
        + " stand-in router; window ended %,d ms after the last close)%n",
        rollbackCpuMs / Math.max(1, rest.size()), lastReturnSeen - all.max() - allAt);
    out.printf(Locale.ROOT, "  history: %d events per rollout (median); threads at most %d while rolling back%n",
        eventsMedian, peakThreads.get());
    // Issue 13's bar, figure by figure (met on this machine at this load, or not).
    Spread singleSeenToDone = Spread.of(seenToDone);
    out.printf(Locale.ROOT, "  issue 13's bar: checks within 5 %% of expected: %s (%.1f %%); heap under 1 GB: %s (%,d MB);"
        + " own threads under 100: %s (%d); one breach seen -> rolled back p99 within 1 s: %s (%,d ms);"
        + " all rolled back within 60 s: %s (max %,d ms; every canary at 0 %% within %,d ms)%n",
        yes(Math.abs(checks / expected - 1) <= 0.05), 100 * checks / expected, yes(heap < 1024), heap, yes(own < 100), own,
        yes(singleSeenToDone.p99() >= 0 && singleSeenToDone.p99() <= 1000), singleSeenToDone.p99(),
        yes(rolledBack == rest.size() && all.max() <= 60_000), all.max(), allZero.max());
    return new Report(n, startAll, s1.watches(), checks, expected, reads, cpu, heap, rss, threads, own,
        Spread.of(seen), Spread.of(seenToDone), single, Spread.of(breachToUndone), all, allZero, allSeen, (int) rolledBack, rest.size(), eventsMedian);
  }

  /** When rollout i's canary went back to 0 % at the router; a rollback that never did is a bug. */
  private static long zeroedAt(ScaleTarget target, int i) {
    Long at = target.zeroedAt.get(service(i));
    if (at == null) throw new IllegalStateException(id(i) + " rolled back but its canary was never set back to 0 %");
    return at;
  }

  private static String yes(boolean met) {
    return met ? "met" : "NOT met";
  }

  /**
   * Waits until the run of every one of {@code ids} has returned in the worker (a map's size polled
   * every 50 ms, then checked id by id), {@code before} runs having returned already; answers
   * when that was seen (epoch ms).
   */
  static long awaitReturns(RunReturns returns, List<String> ids, int before, Duration within) {
    waitFor(() -> returns.size() >= before + ids.size() && returns.returned(ids) == ids.size(), within,
        () -> returns.returned(ids) + " of " + ids.size() + " runs returned");
    return System.currentTimeMillis();
  }

  /**
   * From the first watch completed among {@code closes} to each close: the mass rollback without the
   * wait for the trigger's next check (the floor's watches are all completed at once, by the bench).
   */
  static Spread fromFirstSeen(List<Times> closes) {
    long first = closes.stream().mapToLong(Times::fired).filter(t -> t > 0).min().orElse(-1);
    return Spread.of(closes.stream().map(t -> t.closed() - first).toList());
  }

  /** The activity type of a rollout's trigger watch. */
  static final String WATCH = "Watch";

  /**
   * {@link #times} of each of {@code ids}, in their order, read by 32 threads after the measured
   * window. A run that has returned closes when its last task's completion reaches the server,
   * milliseconds later: a history not closed yet is read again (for up to 30 s).
   */
  static List<Times> closes(WorkflowClient client, List<String> ids, String watchType) throws Exception {
    ExecutorService readers = Executors.newFixedThreadPool(32);
    try {
      List<Callable<Times>> reads = new ArrayList<>();
      for (String id : ids) {
        reads.add(() -> {
          long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
          Times t = times(client, id, watchType);
          while (t.closed() < 0 && System.nanoTime() < end) {
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            t = times(client, id, watchType);
          }
          return t;
        });
      }
      List<Times> found = new ArrayList<>();
      for (Future<Times> f : readers.invokeAll(reads)) found.add(f.get());
      return found;
    } finally {
      readers.shutdown();
    }
  }

  /** When a workflow's watch activity completed (-1: never) and when it closed (-1: not closed), from its history. */
  record Times(long fired, long closed, int events) {}

  static Times times(WorkflowClient client, String id, String watchType) {
    List<HistoryEvent> history = client.fetchHistory(id).getEvents();
    Map<Long, String> scheduled = new TreeMap<>();
    long fired = -1;
    long closed = -1;
    for (HistoryEvent e : history) {
      if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
        scheduled.put(e.getEventId(), e.getActivityTaskScheduledEventAttributes().getActivityType().getName());
      } else if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
          && watchType.equals(scheduled.get(e.getActivityTaskCompletedEventAttributes().getScheduledEventId()))) {
        fired = millis(e);
      } else if (e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED) {
        closed = millis(e);
      }
    }
    return new Times(fired, closed, history.size());
  }

  private static long millis(HistoryEvent e) {
    return e.getEventTime().getSeconds() * 1000 + e.getEventTime().getNanos() / 1_000_000;
  }

  static String service(int i) {
    return "s-" + i;
  }

  static String id(int i) {
    return "rollout-" + service(i) + ".bench";
  }

  static String plan(String url, String service) {
    return String.format(Locale.ROOT, """
        apiVersion: rollout.dev/v1
        name: bench-%1$s
        version: 1.0.0
        targets:
          - { service: %1$s, environment: bench }
        resources:
          routers:
            edge: { type: proxy, adminUrl: %2$s/admin/%1$s }
          metricSources:
            target: { type: scrape, url: %2$s/metrics }
        metrics:
          error_rate: { source: target, query: 'bench_error_rate_percent{service="%1$s"}', unit: "%%" }
        phases:
          - name: canary
            steps:
              - { kind: traffic, router: edge, percent: 10 }
            bake: 2h
            triggers:
              - { name: errors up, metric: error_rate, op: ">", threshold: 5%%, interval: %3$ds, onNoData: pass }
        """, service, url, INTERVAL.toSeconds());
  }

  static void waitFor(BooleanSupplier done, Duration within, java.util.function.Supplier<String> state) {
    long end = System.nanoTime() + within.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) throw new IllegalStateException("not there after " + within + ": " + state.get());
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
  }

  static long ms(long nanos) {
    return nanos / 1_000_000;
  }

  static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** CPU time of this whole process (every thread: worker, test server, client), in ns. */
  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static long rssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /** Live threads by name with numbers and ids taken out ("watch-read-3" → "watch-read-#"). */
  private static Map<String, Integer> threadGroups() {
    Map<String, Integer> groups = new TreeMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      String name = t.getName().replaceAll("[0-9a-f]{8}-[0-9a-f-]{27,}", "#").replaceAll("\\d+", "#");
      if (name.length() > 40) name = name.substring(0, 40);
      groups.merge(name, 1, Integer::sum);
    }
    return groups;
  }
}
