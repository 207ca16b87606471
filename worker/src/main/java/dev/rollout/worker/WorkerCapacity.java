package dev.rollout.worker;

import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.spring.boot.WorkerOptionsCustomizer;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * What watches the worker's capacity, and the worker options the Spring properties do not reach
 * (the capacity itself is set in rollout-worker.yaml; figures in docs/scale.md).
 */
@Configuration(proxyBeanMethods = false)
@Profile("!api-only")
public class WorkerCapacity {
  /**
   * How long a workflow task may run before the SDK calls it a deadlock (default 1 s). On a busy
   * 2-core machine a rollout's first task (thousands starting at once) took longer and was failed
   * and retried 10 s later; a real deadlock is still reported.
   */
  static final Duration DEADLOCK_DETECTION = Duration.ofSeconds(10);

  @Bean
  TaskSlotAlarm taskSlotAlarm(MeterRegistry registry) {
    return new TaskSlotAlarm(registry, Duration.ofSeconds(5));
  }

  @Bean
  WorkerOptionsCustomizer rolloutWorkerOptions() {
    return (options, workerName, taskQueue) ->
        options.setDefaultDeadlockDetectionTimeout(DEADLOCK_DETECTION.toMillis());
  }
}
