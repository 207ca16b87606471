package dev.rollout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollout.workflow.RolloutBrief;
import dev.rollout.workflow.RolloutStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A person acting on a running rollout. The server refuses what the rollout cannot accept now
 * (wrong role, nothing to approve, already ended): exit 1 with its reason.
 */
abstract class ActionCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "ID", description = "The rollout id.")
  String id;

  @Option(names = {"-c", "--comment"}, paramLabel = "TEXT", description = "Why, for the decision log.")
  String comment;

  /** The path segment of the action, e.g. {@code approve}. */
  abstract String action();

  /** What the action says besides the comment (role, item, reason, choice). */
  abstract void describe(Map<String, Object> body);

  /** The action as people read it when it fails: "the pause of rollout r-1". */
  String what() {
    return "the " + action() + " of rollout " + id;
  }

  /** The past tense people read: "approved". */
  abstract String done();

  @Override
  int run(ApiClient client) {
    Map<String, Object> body = new LinkedHashMap<>();
    describe(body);
    if (comment != null) body.put("comment", comment);
    JsonNode answer = client.post(RolloutPaths.action(id, action()), body, what());
    if (answer.path("recorded").asBoolean(false)) return recordedWithoutStatus(answer);
    String now = "";
    if (answer.has("state")) now = ": " + StatusView.progress(Json.convert(answer, RolloutStatus.class), Instant.now());
    terminal().out().println(done() + " " + id + now);
    return ExitCodes.OK;
  }

  /**
   * The server recorded the action but could not read the rollout's whole status right after: say
   * that it happened (exit 0, so nobody repeats it), where the action left the rollout, and why the
   * rest is missing.
   */
  private int recordedWithoutStatus(JsonNode answer) {
    RolloutBrief brief = Json.convert(answer, RolloutBrief.class);
    String reason = answer.path("statusUnavailable").path("reason").asText("the server gave no reason");
    var out = terminal().out();
    out.println(done() + " " + id + " (recorded): " + StatusView.brief(brief, Instant.now()));
    out.println("the rollout's full status could not be read: " + reason);
    out.println("run `rollout status " + id + "` to see where it stands; the " + answer.path("action").asText(action()) + " need not be repeated");
    return ExitCodes.OK;
  }
}
