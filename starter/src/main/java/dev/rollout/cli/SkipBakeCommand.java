package dev.rollout.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "skip-bake", description = "Ends the current bake now; needs one of the phase's skip-bake roles.")
final class SkipBakeCommand extends ActionCommand {

  @Option(names = {"-r", "--role"}, required = true, paramLabel = "ROLE", description = "The role you act as.")
  String role;

  @Override
  String action() {
    return "skip-bake";
  }

  @Override
  void describe(Map<String, Object> body) {
    body.put("role", role);
  }

  @Override
  String done() {
    return "skipped the bake of";
  }
}
