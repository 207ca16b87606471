package dev.rollout.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "approve", description = "Approves what the rollout waits for (an entry or exit approval) as one of your roles.")
final class ApproveCommand extends ActionCommand {

  @Option(names = {"-r", "--role"}, required = true, paramLabel = "ROLE", description = "The role you approve as.")
  String role;

  @Override
  String action() {
    return "approve";
  }

  @Override
  void describe(Map<String, Object> body) {
    body.put("role", role);
  }

  @Override
  String done() {
    return "approved";
  }
}
