package dev.rollout.cli;

import dev.rollout.worker.EmbeddedTemporalServer;
import org.springframework.context.ConfigurableApplicationContext;

/** What a started server tells its user: where Temporal is, and whether it is the in-memory one. */
final class ServerInfo {
  private ServerInfo() {}

  static String temporalTarget(ConfigurableApplicationContext context) {
    var embedded = context.getBeanProvider(EmbeddedTemporalServer.Target.class).getIfAvailable();
    if (embedded != null) return embedded.address() + " (embedded test server, in memory only)";
    return context.getEnvironment().getProperty("spring.temporal.connection.target", "?");
  }
}
