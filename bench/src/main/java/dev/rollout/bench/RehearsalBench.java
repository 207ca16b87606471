package dev.rollout.bench;

import dev.rollout.plan.Plan;
import dev.rollout.plan.Plans;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Rehearses every plan under a directory (default {@code plans/}) {@code --runs} times on the happy
 * path and prints, per plan, the median wall time of a rehearsal (rollout start to result, the
 * test server starting not counted), the simulated duration and the history size. One warm-up
 * rehearsal runs first so the figures are not the JVM's cold start.
 *
 * <pre>java dev.rollout.bench.RehearsalBench [--runs N] [--plans DIR]</pre>
 */
public final class RehearsalBench {
  private RehearsalBench() {}

  public static void main(String[] args) throws IOException {
    PlanRuns o = PlanRuns.parse(args);
    run(o.dir(), o.runs(), System.out);
  }

  /** Runs the benchmark and prints one line per plan; returns the rows for callers that check them. */
  public static List<Row> run(Path dir, int runs, PrintStream out) throws IOException {
    List<Path> files = PlanRuns.files(dir);
    Rehearsal.run(Plans.load(files.get(0)), Scenario.HAPPY); // warm-up
    out.printf(Locale.ROOT, "%-32s %6s %12s %12s %14s %8s%n",
        "plan", "runs", "median ms", "min ms", "simulated", "events");
    List<Row> rows = new ArrayList<>();
    for (Path file : files) {
      Plan plan = Plans.load(file);
      List<Long> wall = new ArrayList<>();
      RehearsalResult last = null;
      for (int i = 0; i < runs; i++) {
        last = Rehearsal.run(plan, Scenario.HAPPY);
        if (last.result() == null) throw new IllegalStateException(file + ": " + last.stuck());
        wall.add(last.wallTime().toMillis());
      }
      Row row = new Row(PlanRuns.name(file), runs, PlanRuns.median(wall), wall.stream().min(Long::compare).orElseThrow(),
          last.simulated().toHours(), last.historyEvents(), last.result().outcome().name());
      rows.add(row);
      out.printf(Locale.ROOT, "%-32s %6d %12d %12d %13dh %8d  %s%n",
          row.plan(), row.runs(), row.medianMillis(), row.minMillis(), row.simulatedHours(), row.events(), row.outcome());
    }
    return rows;
  }

  public record Row(String plan, int runs, long medianMillis, long minMillis, long simulatedHours, int events, String outcome) {}
}
