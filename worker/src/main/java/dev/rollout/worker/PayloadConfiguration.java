package dev.rollout.worker;

import dev.rollout.payload.RolloutPayloads;
import io.temporal.common.converter.DataConverter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The data converter Temporal's Spring Boot starter gives the client and the workers it builds:
 * {@link RolloutPayloads} (no null-valued fields written; reads what any version wrote). The worker
 * and the API both use it (the API imports this configuration).
 */
@Configuration(proxyBeanMethods = false)
public class PayloadConfiguration {
  @Bean
  DataConverter rolloutDataConverter() {
    return RolloutPayloads.CONVERTER;
  }
}
