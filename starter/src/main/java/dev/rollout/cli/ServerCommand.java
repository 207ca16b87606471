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
    ConfigurableApplicationContext context = RolloutServer.start(port, "--rollout.temporal.embedded.port=" + temporalPort);
    CountDownLatch closed = new CountDownLatch(1);
    context.addApplicationListener((ContextClosedEvent e) -> closed.countDown());
    Terminal terminal = root.terminal();
    terminal.out().printf("rollout server: REST API at http://127.0.0.1:%d (Swagger UI: /swagger-ui.html), Temporal at %s%n",
        RolloutServer.apiPort(context), ServerInfo.temporalTarget(context));
    terminal.out().println("stop it with Ctrl-C");
    terminal.out().flush();
    closed.await();
    return ExitCodes.OK;
  }
}
