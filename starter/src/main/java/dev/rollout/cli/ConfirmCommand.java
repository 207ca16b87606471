package dev.rollout.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "confirm", description = "Confirms a checklist item the rollout waits for.")
final class ConfirmCommand extends ActionCommand {

  @Option(names = {"-i", "--item"}, required = true, paramLabel = "ITEM", description = "The checklist item text or its step name.")
  String item;

  @Option(names = {"-r", "--role"}, required = true, paramLabel = "ROLE", description = "The role you confirm as.")
  String role;

  @Override
  String action() {
    return "confirm";
  }

  @Override
  void describe(Map<String, Object> body) {
    body.put("item", item);
    body.put("role", role);
  }

  @Override
  String done() {
    return "confirmed";
  }
}
