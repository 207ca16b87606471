package dev.rollout.cli;

import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "resume", description = "Resumes a paused rollout.")
final class ResumeCommand extends ActionCommand {

  @Override
  String action() {
    return "resume";
  }

  @Override
  void describe(Map<String, Object> body) {}

  @Override
  String done() {
    return "resumed";
  }
}
