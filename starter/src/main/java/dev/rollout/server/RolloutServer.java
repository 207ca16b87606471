package dev.rollout.server;

import dev.rollout.worker.ActivityBeans;
import dev.rollout.worker.WorkflowBeans;
import dev.rollout.worker.security.ScopeConfiguration;
import dev.rollout.worker.security.SigningConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * Everything in one process: the embedded Temporal server (when no TEMPORAL_ADDRESS is given),
 * the worker and the REST API. {@code ./rollout server} and {@code ./rollout demo} boot it.
 */
@SpringBootApplication(scanBasePackages = {"dev.rollout.api", "dev.rollout.server"})
@Import({ActivityBeans.class, WorkflowBeans.class, SigningConfiguration.class, ScopeConfiguration.class})
public class RolloutServer {

  public static void main(String[] args) {
    start(args);
  }

  /** Boots the server; Spring arguments such as {@code --server.port=9000} apply. */
  public static ConfigurableApplicationContext start(String... args) {
    return SpringApplication.run(RolloutServer.class, args);
  }

  /** Boots the server with its API on {@code port} (0 picks a free one). */
  public static ConfigurableApplicationContext start(int port, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "--server.port=" + port;
    System.arraycopy(args, 0, all, 1, args.length);
    return start(all);
  }

  /** The port the API listens on. */
  public static int apiPort(ConfigurableApplicationContext context) {
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }
}
