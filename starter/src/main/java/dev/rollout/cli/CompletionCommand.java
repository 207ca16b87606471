package dev.rollout.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
    name = "completion",
    description = {
      "Prints a bash (and zsh) completion script for rollout.",
      "Use: source <(./rollout completion)   or save it: ./rollout completion > /etc/bash_completion.d/rollout"
    })
final class CompletionCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    CommandLine root = spec.root().commandLine();
    root.getOut().print(AutoComplete.bash(spec.root().name(), root));
    root.getOut().flush();
    return ExitCodes.OK;
  }
}
