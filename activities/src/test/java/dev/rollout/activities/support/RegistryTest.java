package dev.rollout.activities.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.failure.ApplicationFailure;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryTest {

  record Provider(Class<?> serves, String name) {}

  @Test
  void picksTheProviderBySpecType() {
    var registry = new Registry<>("thing", List.of(new Provider(String.class, "s"), new Provider(Integer.class, "i")), Provider::serves);

    assertThat(registry.forSpec(42).name()).isEqualTo("i");
  }

  @Test
  void anUnknownTypeIsNonRetryableAndListsTheKnownOnes() {
    var registry = new Registry<>("thing", List.of(new Provider(String.class, "s")), Provider::serves);

    assertThatThrownBy(() -> registry.forSpec(1.5))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isTrue())
        .hasMessageContaining("Double")
        .hasMessageContaining("known: String");
  }

  @Test
  void twoProvidersForOneTypeFailAtStartUp() {
    assertThatThrownBy(() -> new Registry<>("thing", List.of(new Provider(String.class, "a"), new Provider(String.class, "b")), Provider::serves))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("two things serve String");
  }
}
