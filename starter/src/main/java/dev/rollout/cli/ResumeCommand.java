package dev.rollout.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "resume", description = "Resumes a paused rollout.")
final class ResumeCommand extends ActionCommand {

  @Option(names = {"-r", "--role"}, paramLabel = "ROLE", description = "The plan role you act as (the plan decides who may resume).")
  String role;

  @Override
  String action() {
    return "resume";
  }

  @Override
  void describe(Map<String, Object> body) {
    if (role != null) body.put("role", role);
  }

  @Override
  String done() {
    return "resumed";
  }
}
