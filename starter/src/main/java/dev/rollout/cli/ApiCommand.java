package dev.rollout.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** A command that talks to the rollout server's REST API. */
abstract class ApiCommand implements Callable<Integer> {

  @ParentCommand RolloutCli root;

  @Option(
      names = "--api",
      paramLabel = "URL",
      description = "The rollout server's REST API (default: $ROLLOUT_API or http://127.0.0.1:8088).")
  String api;

  Terminal terminal() {
    return root.terminal();
  }

  ApiClient client() {
    return new ApiClient(api != null ? api : terminal().defaultApi(), terminal().token());
  }

  @Override
  public final Integer call() throws Exception {
    return run(client());
  }

  abstract int run(ApiClient client) throws Exception;
}
