package dev.rollout.activities.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class FailuresTest {

  @Test
  void permanentKubernetesAnswersAreNonRetryableAndTransientOnesRetry() {
    var forbidden = (ApplicationFailure) Failures.retryable("scaling api", new KubernetesClientException("forbidden", 403, null));
    var unavailable = (ApplicationFailure) Failures.retryable("scaling api", new KubernetesClientException("etcd down", 503, null));

    assertThat(forbidden.isNonRetryable()).isTrue();
    assertThat(forbidden.getOriginalMessage()).isEqualTo("scaling api: forbidden");
    assertThat(unavailable.isNonRetryable()).isFalse();
  }

  @Test
  void anApplicationFailurePassesThroughAndOtherErrorsRetryNamingWhatFailed() {
    ApplicationFailure bad = Failures.badInput("no such router");

    assertThat(Failures.retryable("x", bad)).isSameAs(bad);
    var io = (ApplicationFailure) Failures.retryable("reading flags", new IOException("connection reset"));
    assertThat(io.isNonRetryable()).isFalse();
    assertThat(io.getType()).isEqualTo("IOException");
    assertThat(io.getOriginalMessage()).isEqualTo("reading flags: connection reset");
  }
}
