package dev.rollout.cli;

import dev.rollout.plan.Durations;
import dev.rollout.plan.Plan;
import dev.rollout.plan.PlanException;
import dev.rollout.plan.Plans;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "rehearse",
    description = {
      "Rehearses a plan here in seconds and prints the timeline it would follow.",
      "Runs the real workflow on Temporal's time-skipping test server with recording activities",
      "(nothing real is touched). Approvals are granted unless the scenario scripts otherwise;",
      "metrics pass unless it scripts values.",
      "Ends with the terminal state: COMPLETED, ROLLED_BACK or ROLLBACK_FAILED (exit 0 when the rehearsal ran)."
    })
final class RehearseCommand implements Callable<Integer> {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  @ParentCommand RolloutCli root;

  @Parameters(paramLabel = "FILE", description = "The plan file.")
  Path file;

  @Option(names = {"-s", "--scenario"}, paramLabel = "FILE",
      description = "A scenario (YAML): metric values over time, approval answers, failing calls. See docs/cli.md.")
  Path scenarioFile;

  @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json.")
  OutputFormat output;

  @Override
  public Integer call() {
    Terminal terminal = root.terminal();
    Plan plan;
    try {
      plan = Plans.load(file);
    } catch (PlanException e) {
      e.problems().forEach(terminal.err()::println);
      terminal.err().println("rollout: " + file + " is not a valid plan; nothing was rehearsed");
      return ExitCodes.REFUSED;
    }
    Scenario scenario = scenario();
    RehearsalResult result = Rehearsal.run(plan, scenario);
    List<RehearsalTimeline.Entry> timeline = RehearsalTimeline.of(plan, result.calls(),
        result.status() == null ? List.of() : result.status().decisions());
    if (output == OutputFormat.json) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("plan", plan.name());
      json.put("scenario", scenario.name());
      json.put("state", result.result() == null ? null : result.result().outcome());
      json.put("result", result.result());
      json.put("stuck", result.stuck());
      json.put("startedAt", result.startedAt());
      json.put("endedAt", result.endedAt());
      json.put("simulated", Durations.format(result.simulated()));
      json.put("wallMillis", result.wallTime().toMillis());
      json.put("historyEvents", result.historyEvents());
      json.put("timeline", timeline);
      terminal.out().println(Json.pretty(json));
    } else {
      print(plan, scenario, result, timeline, terminal.out());
    }
    if (result.stuck() != null) {
      terminal.err().println("rollout: the rehearsal stopped before the rollout ended: " + result.stuck());
      return ExitCodes.REFUSED;
    }
    return ExitCodes.OK;
  }

  private Scenario scenario() {
    if (scenarioFile == null) return Scenario.HAPPY;
    try {
      return Scenario.load(scenarioFile);
    } catch (UncheckedIOException e) {
      throw CliException.refused(e.getMessage());
    }
  }

  private void print(Plan plan, Scenario scenario, RehearsalResult r, List<RehearsalTimeline.Entry> timeline, PrintWriter out) {
    out.printf("rehearsal of %s (%s), scenario: %s%n", plan.name(), file, scenario.name() == null ? "-" : scenario.name());
    int width = Math.max(8, plan.phases().stream().mapToInt(p -> p.name().length()).max().orElse(8));
    String phase = null;
    for (RehearsalTimeline.Entry e : timeline) {
      if (!e.phase().equals(phase)) {
        phase = e.phase();
        out.println();
      }
      out.printf(Locale.ROOT, "%-13s %s  %-" + width + "s  %s%s%n", offset(r.startedAt(), e.at()), TIME.format(e.at()), e.phase(),
          e.who() == null ? "" : e.who() + ": ", e.what());
    }
    out.println();
    out.printf(Locale.ROOT, "simulated %s in %.1f s (%d history events)%n", Durations.format(r.simulated()),
        r.wallTime().toMillis() / 1000.0, r.historyEvents());
    if (r.result() != null) {
      out.println("result    " + StatusView.result(r.result()));
      out.println(r.result().outcome().name());
    } else {
      out.println("NOT FINISHED: " + r.stuck());
    }
  }

  /** {@code +2d 04:00} from the start. */
  static String offset(Instant start, Instant at) {
    Duration d = Duration.between(start, at);
    if (d.isNegative()) d = Duration.ZERO;
    return String.format(Locale.ROOT, "+%dd %02d:%02d:%02d", d.toDays(), d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart());
  }
}
