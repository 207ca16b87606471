package dev.rollout.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "abort", description = "Stops the rollout and rolls back what it did.")
final class AbortCommand extends ActionCommand {

  @Option(names = {"-r", "--role"}, paramLabel = "ROLE", description = "The plan role you act as (the plan decides who may abort).")
  String role;

  @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why, for the decision log and the result.")
  String reason;

  @Override
  String action() {
    return "abort";
  }

  @Override
  void describe(Map<String, Object> body) {
    body.put("reason", reason);
    if (role != null) body.put("role", role);
  }

  @Override
  String done() {
    return "aborted";
  }
}
