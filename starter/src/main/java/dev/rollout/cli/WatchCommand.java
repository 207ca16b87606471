package dev.rollout.cli;

import dev.rollout.workflow.RolloutStatus;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "watch",
    description = {
      "Follows a rollout live until it ends.",
      "Prints phase, state, current step, bake time left and what it waits for as they change.",
      "Exits 0 once the rollout has ended, whichever way; the last line names the terminal state."
    })
final class WatchCommand extends ApiCommand {

  @Parameters(paramLabel = "ID", description = "The rollout id.")
  String id;

  @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "PT1S",
      description = "How often to poll, as an ISO-8601 duration (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json (json prints the final status).")
  OutputFormat output;

  @Override
  int run(ApiClient client) {
    Watcher watcher = new Watcher(client, output == OutputFormat.json ? nowhere() : terminal().out(), interval, Clock.systemUTC());
    RolloutStatus end = watcher.follow(id, s -> {});
    if (output == OutputFormat.json) {
      terminal().out().println(Json.pretty(end));
    } else {
      terminal().out().println(end.state().name());
    }
    return ExitCodes.OK;
  }

  private static PrintWriter nowhere() {
    return new PrintWriter(Writer.nullWriter());
  }
}
