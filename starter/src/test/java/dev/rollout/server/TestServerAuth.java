package dev.rollout.server;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.context.annotation.Bean;

/** The test server's TestRestTemplate authenticates as "server-user" unless told otherwise. */
@TestConfiguration(proxyBeanMethods = false)
public class TestServerAuth {
  @Bean
  RestTemplateBuilder restTemplateBuilder() {
    return new RestTemplateBuilder().defaultHeader("Authorization", "Bearer " + TestTokens.of("server-user"));
  }
}
