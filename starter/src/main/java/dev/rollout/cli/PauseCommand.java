package dev.rollout.cli;

import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "pause", description = "Pauses the rollout before its next step; a pause during a bake extends the bake.")
final class PauseCommand extends ActionCommand {

  @Override
  String action() {
    return "pause";
  }

  @Override
  void describe(Map<String, Object> body) {}

  @Override
  String done() {
    return "paused";
  }
}
