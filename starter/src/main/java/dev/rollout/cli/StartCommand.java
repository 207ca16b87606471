package dev.rollout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollout.plan.Durations;
import dev.rollout.plan.Plan;
import dev.rollout.plan.PlanException;
import dev.rollout.plan.Plans;
import dev.rollout.workflow.RolloutStatus;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "start",
    description = {
      "Validates a plan file here, then starts it on the server.",
      "One rollout per target at a time: a second one on a busy target is refused (exit 1)."
    })
final class StartCommand extends ApiCommand {

  @Parameters(paramLabel = "FILE", description = "The plan file (YAML or JSON).")
  Path file;

  @Option(names = {"-w", "--watch"}, description = "Follow the rollout until it ends, as `watch` does.")
  boolean watch;

  @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json (the new rollout's status).")
  OutputFormat output;

  @Override
  int run(ApiClient client) throws Exception {
    PrintWriter out = terminal().out();
    Plan plan;
    try {
      plan = Plans.load(file);
    } catch (PlanException e) {
      e.problems().forEach(terminal().err()::println);
      terminal().err().println("rollout: " + file + " is not a valid plan; nothing was started");
      return ExitCodes.REFUSED;
    }
    warnIfItOutlivesAnInMemoryServer(client, plan);
    JsonNode body = client.postText(
        RolloutPaths.ROLLOUTS + "?source=" + RolloutPaths.encode(file.toString()),
        Files.readString(file), ValidateCommand.contentType(file));
    RolloutStatus started = Json.convert(body, RolloutStatus.class);
    if (output == OutputFormat.json) {
      out.println(Json.pretty(body));
    } else {
      out.printf("started %s (plan %s on %s) as %s%n", started.rolloutId(), started.plan(), started.target(), started.startedBy());
      if (!watch) out.println("follow it: rollout watch " + started.rolloutId());
    }
    if (watch) {
      RolloutStatus end = new Watcher(client, out, Duration.ofSeconds(1), Clock.systemUTC()).follow(started.rolloutId(), s -> {});
      out.println(end.state().name());
    }
    return ExitCodes.OK;
  }

  /** Longer than this, a plan on the in-memory embedded server is likely to outlive the process. */
  static final Duration IN_MEMORY_LIMIT = Duration.ofHours(4);

  private void warnIfItOutlivesAnInMemoryServer(ApiClient client, Plan plan) {
    Duration bakes = plannedBakes(plan);
    if (bakes.compareTo(IN_MEMORY_LIMIT) <= 0) return;
    JsonNode server = client.get("/server");
    if (!server.path("inMemory").asBoolean(false)) return;
    terminal().err().println("rollout: warning: this plan bakes for " + Durations.format(bakes)
        + ", but the server runs the EMBEDDED Temporal test server, which keeps everything in memory:"
        + " a restart of `rollout server` loses the rollout. For durable rollouts run `docker compose up -d`"
        + " and `TEMPORAL_ADDRESS=localhost:7233 ./rollout server` (see README, Running against a real Temporal cluster).");
    terminal().err().flush();
  }

  static Duration plannedBakes(Plan plan) {
    Duration total = Duration.ZERO;
    for (var phase : plan.phases()) {
      total = total.plus(phase.bake());
      for (var step : phase.steps()) {
        if (step instanceof dev.rollout.plan.Step.Bake b && b.duration() != null) total = total.plus(b.duration());
      }
    }
    return total;
  }
}
