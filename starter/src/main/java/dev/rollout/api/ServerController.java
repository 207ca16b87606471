package dev.rollout.api;

import dev.rollout.worker.EmbeddedTemporalServer;
import io.swagger.v3.oas.annotations.Operation;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** What the server runs on, so clients can warn that the embedded Temporal server is in memory only. */
@RestController
class ServerController {
  private final ObjectProvider<EmbeddedTemporalServer.Target> embedded;
  private final Environment env;

  ServerController(ObjectProvider<EmbeddedTemporalServer.Target> embedded, Environment env) {
    this.embedded = embedded;
    this.env = env;
  }

  @Operation(summary = "The Temporal server this API uses, and whether it is the in-memory embedded one")
  @GetMapping("/server")
  Map<String, Object> server() {
    EmbeddedTemporalServer.Target target = embedded.getIfAvailable();
    return Map.of(
        "temporal", target != null ? target.address() : env.getProperty("spring.temporal.connection.target", "?"),
        "inMemory", target != null);
  }
}
