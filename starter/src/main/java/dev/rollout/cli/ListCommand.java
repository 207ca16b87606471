package dev.rollout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollout.workflow.RolloutState;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", description = "Lists rollouts, running and finished, newest first.")
final class ListCommand extends ApiCommand {

  @Option(names = "--target", paramLabel = "SERVICE/ENV", description = "Only rollouts of this target.")
  String target;

  @Option(names = "--state", paramLabel = "STATE", description = "Only rollouts in this state: ${COMPLETION-CANDIDATES}.")
  RolloutState state;

  @Option(names = "--waiting-for", paramLabel = "ROLE", description = "Only rollouts waiting now for this role (as the plan spells it).")
  String waitingFor;

  @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json.")
  OutputFormat output;

  @Override
  int run(ApiClient client) {
    List<String> query = new ArrayList<>();
    if (target != null) query.add("target=" + RolloutPaths.encode(target));
    if (state != null) query.add("state=" + state.name());
    if (waitingFor != null) query.add("waitingFor=" + RolloutPaths.encode(waitingFor));
    JsonNode body = client.get(RolloutPaths.ROLLOUTS + (query.isEmpty() ? "" : "?" + String.join("&", query)));
    PrintWriter out = terminal().out();
    if (output == OutputFormat.json) {
      out.println(Json.pretty(body));
      return ExitCodes.OK;
    }
    JsonNode rows = body.isArray() ? body : body.path("rollouts");
    if (rows.isEmpty()) {
      out.println("no rollouts" + (query.isEmpty() ? "" : " match"));
      return ExitCodes.OK;
    }
    String format = "%-40s %-22s %-26s %-20s %s%n";
    out.printf(format, "ID", "STATE", "TARGET", "PLAN", "STARTED");
    for (JsonNode row : rows) {
      // state is null when the rollout's own state cannot be read (e.g. terminated): show Temporal's.
      String state = row.path("state").isTextual() ? text(row, "state") : text(row, "execution");
      out.printf(format, text(row, "rolloutId"), state, text(row, "target"), text(row, "plan"),
          text(row, "startedAt") + " by " + text(row, "startedBy"));
    }
    return ExitCodes.OK;
  }

  private static String text(JsonNode row, String field) {
    JsonNode value = row.path(field);
    return value.isMissingNode() || value.isNull() ? "-" : value.asText();
  }
}
