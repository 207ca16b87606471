package dev.rollout.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Plan;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Rehearses every seed plan many times: none may hang (the ACTIVITY_UNKNOWN race left 5 of 60
 * canary rehearsals waiting forever). A {@link HangWatch} tells a hang from slowness: a rehearsal
 * is hung only when its rollout's history stands still at a workflow task that never completed for
 * {@code stress.stallSeconds} (default 180, far beyond the 10 s workflow task timeout); a machine
 * starved of CPU only makes rehearsals slow, and the rehearsal's own calls wait as long as the
 * per-run limit allows. A hang prints the workflow id and its history tail. CI runs a few per plan;
 * the full proof of the issue ({@code target/rehearsal-stress.txt} keeps one line per plan) is
 *
 * <pre>
 * nice -n 10 mvn -o -B -pl rehearsal -am test -Dsurefire.failIfNoSpecifiedTests=false -Dtest=RehearsalHangStressTest -Dstress.count=200 -Dstress.canary=1000
 * </pre>
 */
class RehearsalHangStressTest {
  static final List<String> PLANS = SeedPlans.NAMES;
  private static final int COUNT = Integer.getInteger("stress.count", 4);
  private static final int CANARY = Integer.getInteger("stress.canary", 12);
  private static final Duration STALL = Duration.ofSeconds(Long.getLong("stress.stallSeconds", 180));
  /** One rehearsal takes seconds; this only ends a run that neither hangs nor ends. */
  private static final Duration LIMIT = Duration.ofMinutes(Long.getLong("stress.limitMinutes", 30));
  /** The runs above the old fixed per-run deadline: slow, counted, not failed. */
  private static final Duration SLOW = Duration.ofSeconds(150);
  private static final String CALL_DEADLINE = "rehearsal.callDeadlineSeconds";
  private static String callDeadlineBefore;

  @BeforeAll
  static void callsWaitAsLongAsTheRunMay() {
    callDeadlineBefore = System.getProperty(CALL_DEADLINE);
    System.setProperty(CALL_DEADLINE, Long.toString(LIMIT.toSeconds()));
  }

  @AfterAll
  static void restoreCallDeadline() {
    if (callDeadlineBefore == null) System.clearProperty(CALL_DEADLINE);
    else System.setProperty(CALL_DEADLINE, callDeadlineBefore);
  }

  @ParameterizedTest
  @FieldSource("PLANS")
  void everyRehearsalEnds(String name) throws IOException {
    Plan plan = SeedPlans.load(name);
    int runs = name.equals("batch-patches-canary") ? CANARY : COUNT;
    HangWatch watch = new HangWatch(STALL, LIMIT, Duration.ofSeconds(2));
    ExecutorService drivers = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "stress-driver-" + name);
      t.setDaemon(true);
      return t;
    });
    List<Long> wallMillis = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    int hung = 0;
    int tooSlow = 0;
    Duration longestPause = Duration.ZERO;
    long started = System.nanoTime();
    double loadAtStart = loadAverage();
    try {
      for (int run = 1; run <= runs; run++) {
        HangWatch.Watched<RehearsalResult> w;
        try (Rehearsal rehearsal = Rehearsal.open(Scenario.HAPPY)) {
          rehearsal.start(plan, Rehearsal.STARTER);
          w = watch.watch(rehearsal.client(), rehearsal.workflowId(), drivers.submit(rehearsal::drive));
        }
        wallMillis.add(w.wall().toMillis());
        if (w.longestPause().compareTo(longestPause) > 0) longestPause = w.longestPause();
        switch (w.ending()) {
          case HUNG -> hung++;
          case TOO_SLOW -> tooSlow++;
          case ENDED -> { }
        }
        String problem = problem(w);
        if (problem != null) {
          failures.add("rehearsal " + run + " of " + name + ": " + problem);
          System.out.println("stress: rehearsal " + run + " of " + name + ": " + problem);
        }
        if (run % 50 == 0 && run < runs) {
          System.out.printf("stress: %s: %d of %d rehearsed, %d hung, %d too slow, %d failed, %d s so far, load average %.1f%n",
              name, run, runs, hung, tooSlow, failures.size(), Duration.ofNanos(System.nanoTime() - started).toSeconds(), loadAverage());
        }
      }
    } finally {
      drivers.shutdownNow();
    }
    List<Long> sorted = wallMillis.stream().sorted().toList();
    String summary = String.format(
        "stress: %s: %d rehearsals, %d completed, %d hung, %d too slow (> %d min), %d slow (> %d s); wall median %d ms,"
            + " p95 %d ms, max %d ms; longest history pause %d s (hang threshold %d s); total %d s; load average %.1f -> %.1f",
        name, runs, runs - failures.size(), hung, tooSlow, LIMIT.toMinutes(), sorted.stream().filter(m -> m > SLOW.toMillis()).count(),
        SLOW.toSeconds(), percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 100), longestPause.toSeconds(),
        STALL.toSeconds(), Duration.ofNanos(System.nanoTime() - started).toSeconds(), loadAtStart, loadAverage());
    System.out.println(summary);
    Files.writeString(Path.of("target", "rehearsal-stress.txt"), summary + "\n",
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    assertThat(failures).as("rehearsals of %s that hung, were too slow or did not complete", name).isEmpty();
  }

  /** Why a watched rehearsal is not a success, or null. */
  private static String problem(HangWatch.Watched<RehearsalResult> w) {
    if (w.ending() != HangWatch.Ending.ENDED) return w.report();
    RehearsalResult r = w.value();
    if (r.stuck() != null) return "stuck (" + w.workflowId() + "): " + r.stuck();
    if (r.result().outcome() != Outcome.COMPLETED) {
      return "ended " + r.result().outcome() + " (" + w.workflowId() + "): " + r.result().reason();
    }
    return null;
  }

  private static long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) return 0;
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index));
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
