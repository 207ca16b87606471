package dev.rollout.cli;

import com.fasterxml.jackson.databind.JsonNode;
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
    try {
      Plans.load(file);
    } catch (PlanException e) {
      e.problems().forEach(terminal().err()::println);
      terminal().err().println("rollout: " + file + " is not a valid plan; nothing was started");
      return ExitCodes.REFUSED;
    }
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
}
