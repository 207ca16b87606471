package dev.rollout.worker.security;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The scopes of each target ({@code rollout.scopes.*}, from the file {@code
 * ROLLOUT_SECURITY_CONFIG}) and the worker's own check of them before every activity: the API
 * refuses an out-of-scope plan at start, the worker refuses it again whoever started it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TargetScopes.class)
public class ScopeConfiguration {

  @Bean
  ScopedActivitiesInterceptor scopedActivitiesInterceptor(TargetScopes scopes) {
    return new ScopedActivitiesInterceptor(scopes);
  }
}
