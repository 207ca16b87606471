package dev.rollout.cli;

import dev.rollout.server.RolloutServer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "server",
    description = {
      "Runs the rollout server (worker and REST API) in the foreground.",
      "Without TEMPORAL_ADDRESS it brings an embedded in-memory Temporal server: rollouts are lost when",
      "it stops. Ctrl-C stops it."
    })
final class ServerCommand implements Callable<Integer> {

  @ParentCommand RolloutCli root;

  @Option(names = "--port", defaultValue = "8088", description = "The REST API's port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--temporal-port", defaultValue = "7233",
      description = "The embedded Temporal server's port, when no TEMPORAL_ADDRESS is given (default: ${DEFAULT-VALUE}).")
  int temporalPort;

  @Override
  public Integer call() throws InterruptedException {
    Terminal terminal = root.terminal();
    // A local admin token, minted now; the server keeps only its hash, the file only its owner can read.
    LocalAccess access = new LocalAccess();
    String token = access.mint("local-admin", terminal.user(), "admins");
    java.nio.file.Path tokenFile = TokenStore.configDir(terminal).resolve(TokenStore.FILE);
    TokenStore.write(tokenFile, token);
    java.util.List<String> args = new java.util.ArrayList<>(access.args());
    args.add("--rollout.temporal.embedded.port=" + temporalPort);
    ConfigurableApplicationContext context = RolloutServer.start(port, args.toArray(String[]::new));
    CountDownLatch closed = new CountDownLatch(1);
    context.addApplicationListener((ContextClosedEvent e) -> closed.countDown());
    terminal.out().printf("rollout server: REST API at http://127.0.0.1:%d (Swagger UI: /swagger-ui.html), Temporal at %s%n",
        RolloutServer.apiPort(context), ServerInfo.temporalTarget(context));
    terminal.out().printf("rollout server: a local admin token for %s is in %s (0600; the CLI reads it there;"
        + " other tools send it as `Authorization: Bearer ...`)%n", terminal.user(), tokenFile);
    terminal.out().println("stop it with Ctrl-C");
    terminal.out().flush();
    closed.await();
    return ExitCodes.OK;
  }
}
