package dev.rollout.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "recover",
    description = "Runs the rollback a Temporal terminate skipped (only a terminated rollout; needs the abort permission).")
final class RecoverCommand extends ActionCommand {

  @Option(names = {"-r", "--role"}, paramLabel = "ROLE", description = "The plan role you act as (needed when the plan names roles).")
  String role;

  @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why, for the decision log and the result.")
  String reason;

  @Override
  String action() {
    return "recover";
  }

  @Override
  void describe(Map<String, Object> body) {
    body.put("reason", reason);
    if (role != null) body.put("role", role);
  }

  @Override
  String done() {
    return "recovering";
  }
}
