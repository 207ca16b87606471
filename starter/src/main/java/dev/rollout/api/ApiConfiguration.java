package dev.rollout.api;

import dev.rollout.client.CallerIdentity;
import dev.rollout.client.RolloutGauges;
import dev.rollout.client.RolloutService;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;
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

  @Bean
  CallerIdentity callerIdentity(@Value("${rollout.user:}") String configuredUser) {
    return new RequestCallerIdentity(CallerIdentity.localUser(configuredUser));
  }
}
