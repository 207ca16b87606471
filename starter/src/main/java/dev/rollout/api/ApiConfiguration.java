package dev.rollout.api;

import dev.rollout.client.RolloutService;
import dev.rollout.client.SigningClientInterceptor;
import dev.rollout.worker.security.SigningConfiguration;
import dev.rollout.worker.security.SigningKey;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

@Configuration(proxyBeanMethods = false)
@Import(SigningConfiguration.class)
class ApiConfiguration {

  @Bean
  RolloutService rolloutService(
      WorkflowClient client, @Value("${rollout.temporal.task-queue:rollouts}") String taskQueue) {
    return new RolloutService(client, taskQueue);
  }

  /** Picked up by Temporal's Spring Boot starter for the client it builds. */
  @Bean
  SigningClientInterceptor signingClientInterceptor(SigningKey key) {
    return new SigningClientInterceptor(key, Clock.systemUTC());
  }
}
