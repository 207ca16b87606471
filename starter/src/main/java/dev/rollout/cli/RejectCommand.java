package dev.rollout.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "reject", description = "Rejects what the rollout waits for: the rollout rolls back.")
final class RejectCommand extends ActionCommand {

  @Option(names = {"-r", "--role"}, required = true, paramLabel = "ROLE", description = "The role you reject as.")
  String role;

  @Override
  String action() {
    return "reject";
  }

  @Override
  void describe(Map<String, Object> body) {
    body.put("role", role);
  }

  @Override
  String done() {
    return "rejected";
  }
}
