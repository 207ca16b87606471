package dev.rollout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "runs",
    description = "Lists every run of a rollout id (each rollout of the target), newest first; "
        + "read one with `rollout status ID --run RUN_ID`.")
final class RunsCommand extends ApiCommand {

  @Parameters(paramLabel = "ID", description = "The rollout id (see `rollout list`).")
  String id;

  @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json.")
  OutputFormat output;

  @Override
  int run(ApiClient client) {
    JsonNode rows = client.get(RolloutPaths.rollout(id) + "/runs");
    PrintWriter out = terminal().out();
    if (output == OutputFormat.json) {
      out.println(Json.pretty(rows));
      return ExitCodes.OK;
    }
    String format = "%-38s %-20s %-26s %-26s %s%n";
    out.printf(format, "RUN", "STATE", "STARTED", "ENDED", "BY");
    for (JsonNode row : rows) {
      // state is null when the run's own state cannot be read (e.g. terminated): show Temporal's.
      String state = row.path("state").isTextual() ? text(row, "state") : text(row, "execution");
      out.printf(format, text(row, "runId") + (row.path("latest").asBoolean() ? " *" : ""), state,
          text(row, "startedAt"), text(row, "closedAt"), text(row, "startedBy"));
    }
    out.println("* the newest run: what `rollout status " + id + "` shows and actions go to");
    return ExitCodes.OK;
  }

  private static String text(JsonNode row, String field) {
    JsonNode value = row.path(field);
    return value.isMissingNode() || value.isNull() ? "-" : value.asText();
  }
}
