package dev.rollout.activities.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.activities.HealthActivities.HealthResult;
import dev.rollout.activities.LocalHttpServer;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HealthActivitiesImplTest {

  final HealthActivitiesImpl health = new HealthActivitiesImpl();
  final Duration fast = Duration.ofMillis(20);

  @Test
  void healthyAsSoonAsTheExpectedStatusAnswers() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (var app = new LocalHttpServer(() -> calls.incrementAndGet() < 3 ? 503 : 200)) {
      HealthResult result = health.probe(app.url("/healthz"), 200, 5, fast, Duration.ofSeconds(30));

      assertThat(result.healthy()).isTrue();
      assertThat(result.probes()).isEqualTo(3);
      assertThat(result.lastStatus()).isEqualTo(200);
    }
  }

  @Test
  void nConsecutiveFailuresAreUnhealthy() throws Exception {
    try (var app = new LocalHttpServer(() -> 500)) {
      HealthResult result = health.probe(app.url("/healthz"), 200, 3, fast, Duration.ofSeconds(30));

      assertThat(result.healthy()).isFalse();
      assertThat(result.probes()).isEqualTo(3);
      assertThat(result.lastStatus()).isEqualTo(500);
      assertThat(result.detail()).contains("3 consecutive failures");
    }
  }

  @Test
  void anotherExpectedStatusAndANonAnsweringHostCount() throws Exception {
    try (var app = new LocalHttpServer(() -> 204)) {
      assertThat(health.probe(app.url("/"), 204, 1, fast, Duration.ofSeconds(5)).healthy()).isTrue();
    }
    HealthResult down = health.probe("http://127.0.0.1:1/", 200, 2, fast, Duration.ofSeconds(5));
    assertThat(down.healthy()).isFalse();
    assertThat(down.lastStatus()).isZero();
    assertThat(down.detail()).contains("did not answer");
  }

  @Test
  void aBadUrlIsNonRetryable() {
    assertThatThrownBy(() -> health.probe("localhost:8080/health", 200, 3, fast, Duration.ofSeconds(1)))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isTrue())
        .hasMessageContaining("not an http(s) URL");
  }
}
