package dev.rollout.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "audit", description = "Prints every decision on a rollout as JSON lines: who (as authenticated), with which roles, when, what, why.")
final class AuditCommand extends ApiCommand {

  @Parameters(paramLabel = "ID", description = "The rollout id (see `rollout list`).")
  String id;

  @Option(names = "--run", paramLabel = "RUN_ID",
      description = "An earlier run of this rollout id (see `rollout runs ID`); default: the newest.")
  String run;

  @Override
  int run(ApiClient client) {
    terminal().out().print(client.getText(RolloutPaths.rollout(id) + "/audit" + RolloutPaths.runQuery(run)));
    terminal().out().flush();
    return ExitCodes.OK;
  }
}
