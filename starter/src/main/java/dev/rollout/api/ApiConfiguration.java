package dev.rollout.api;

import dev.rollout.client.CallerIdentity;
import dev.rollout.client.RolloutService;
import io.temporal.client.WorkflowClient;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ApiConfiguration {

  @Bean
  RolloutService rolloutService(
      WorkflowClient client, @Value("${rollout.temporal.task-queue:rollouts}") String taskQueue) {
    return new RolloutService(client, taskQueue);
  }

  @Bean
  CallerIdentity callerIdentity(@Value("${rollout.user:}") String configuredUser) {
    return new RequestCallerIdentity(CallerIdentity.localUser(configuredUser));
  }
}
