package dev.rollout.worker.security;

import dev.rollout.worker.EmbeddedTemporalServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The signing key shared by the API and the worker, and the worker's check of signed actions.
 * The key comes from {@code ROLLOUT_SIGNING_KEY} or the file {@code ROLLOUT_SIGNING_KEY_FILE};
 * a process running the embedded Temporal server (API and worker in one JVM) generates one.
 * Against a real Temporal cluster a key is required: without it the process does not start.
 */
@Configuration(proxyBeanMethods = false)
public class SigningConfiguration {
  private static final Logger log = LoggerFactory.getLogger(SigningConfiguration.class);

  @Bean
  SigningKey rolloutSigningKey(
      @Value("${rollout.security.signing-key:}") String key,
      @Value("${rollout.security.signing-key-file:}") String file,
      ObjectProvider<EmbeddedTemporalServer.Target> embedded) {
    if (!key.isBlank()) return SigningKey.of(key, "ROLLOUT_SIGNING_KEY");
    if (!file.isBlank()) return SigningKey.fromFile(Path.of(file));
    if (embedded.getIfAvailable() != null) {
      log.info("Signing people's actions with a key generated at start (embedded Temporal, one process)");
      return SigningKey.random();
    }
    throw new IllegalStateException(
        "no signing key: set ROLLOUT_SIGNING_KEY (or ROLLOUT_SIGNING_KEY_FILE) to the same secret"
            + " of at least 32 bytes on the API and every worker (e.g. `openssl rand -base64 48`)");
  }

  @Bean
  SignedActionsInterceptor signedActionsInterceptor(
      SigningKey key, @Value("${rollout.security.action-max-age:5m}") Duration maxAge) {
    return new SignedActionsInterceptor(key, maxAge, Clock.systemUTC());
  }
}
