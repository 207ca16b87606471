package dev.rollout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollout.workflow.RolloutStatus;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "status", description = "Shows one rollout: state, phase, step, what it waits for, gates, decisions.")
final class StatusCommand extends ApiCommand {

  @Parameters(paramLabel = "ID", description = "The rollout id (see `rollout list`).")
  String id;

  @Option(names = "--run", paramLabel = "RUN_ID",
      description = "An earlier run of this rollout id (see `rollout runs ID`); default: the newest.")
  String run;

  @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json.")
  OutputFormat output;

  @Override
  int run(ApiClient client) {
    JsonNode body = client.get(RolloutPaths.rollout(id) + RolloutPaths.runQuery(run));
    if (output == OutputFormat.json) {
      terminal().out().println(Json.pretty(body));
    } else {
      StatusView.print(Json.convert(body, RolloutStatus.class), Instant.now(), terminal().out());
    }
    return ExitCodes.OK;
  }
}
