package dev.rollout.cli;

import dev.rollout.workflow.Actions;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "decide", description = "Answers a hold (a failed gate the plan holds on): rollback, retry or continue.")
final class DecideCommand extends ActionCommand {

  @Option(names = {"-r", "--role"}, paramLabel = "ROLE", description = "The plan role you act as (the plan decides who may decide).")
  String role;

  @Option(names = "--choice", required = true, paramLabel = "CHOICE", description = "rollback, retry or continue.")
  Actions.Choice choice;

  @Override
  String action() {
    return "decide";
  }

  @Override
  void describe(Map<String, Object> body) {
    body.put("choice", choice.name());
    if (role != null) body.put("role", role);
  }

  @Override
  String done() {
    return "decided (" + choice.name().toLowerCase() + ") on";
  }
}
