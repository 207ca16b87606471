package dev.rollout.api;

import dev.rollout.client.RolloutService;
import dev.rollout.client.SigningClientInterceptor;
import dev.rollout.worker.PayloadConfiguration;
import dev.rollout.worker.security.SigningConfiguration;
import dev.rollout.worker.security.SigningKey;
import dev.rollout.client.RolloutGauges;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

@Configuration(proxyBeanMethods = false)
@Import({SigningConfiguration.class, PayloadConfiguration.class})
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

  @Bean
  RolloutGauges rolloutGauges(RolloutService rollouts, MeterRegistry registry) {
    return new RolloutGauges(rollouts, registry);
  }

  /** Refreshes the per-rollout gauges between scrapes (a scrape never waits for Temporal). */
  @Bean(destroyMethod = "shutdownNow")
  ScheduledExecutorService rolloutGaugesRefresher(
      RolloutGauges gauges, @Value("${rollout.metrics.refresh:15s}") Duration every) {
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread t = new Thread(task, "rollout-gauges");
      t.setDaemon(true);
      return t;
    });
    executor.scheduleWithFixedDelay(() -> {
      try {
        gauges.refresh();
      } catch (RuntimeException e) {
        LoggerFactory.getLogger(RolloutGauges.class).warn("rollout gauges not refreshed: {}", e.getMessage());
      }
    }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return executor;
  }
}
