package dev.rollout.worker;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/** What watches the worker's capacity (the capacity itself is set in rollout-worker.yaml). */
@Configuration(proxyBeanMethods = false)
@Profile("!api-only")
public class WorkerCapacity {

  @Bean
  TaskSlotAlarm taskSlotAlarm(MeterRegistry registry) {
    return new TaskSlotAlarm(registry, Duration.ofSeconds(5));
  }
}
