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

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description = "How long to wait for the server's answer before giving up (default: 75s; e.g. 30s, 2m).")
  String timeout;

  Terminal terminal() {
    return root.terminal();
  }

  ApiClient client() {
    java.time.Duration deadline = ApiClient.DEADLINE;
    if (timeout != null) {
      try {
        deadline = dev.rollout.plan.Durations.parse(timeout);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.USAGE, "--timeout: " + e.getMessage());
      }
      if (deadline.isNegative() || deadline.isZero()) throw new CliException(ExitCodes.USAGE, "--timeout must be positive");
    }
    return new ApiClient(api != null ? api : terminal().defaultApi(), terminal().token(), deadline);
  }

  @Override
  public final Integer call() throws Exception {
    return run(client());
  }

  abstract int run(ApiClient client) throws Exception;
}
