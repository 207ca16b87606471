package dev.rollout.activities.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SecretsTest {

  @Test
  void resolvesDatabaseCredentialsByTheNameThePlanUses() {
    Secrets secrets = new Secrets(Map.of("ORDERS_DB_URL", "jdbc:postgresql://db/orders", "ORDERS_DB_USER", "app", "ORDERS_DB_PASSWORD", "s3cret"));

    Secrets.Credentials c = secrets.credentials("ORDERS_DB");

    assertThat(c.url()).isEqualTo("jdbc:postgresql://db/orders");
    assertThat(c.user()).isEqualTo("app");
    assertThat(c.password()).isEqualTo("s3cret");
    assertThat(c.toString()).doesNotContain("s3cret");
  }

  @Test
  void aMissingSecretIsANonRetryableFailureNamingTheKeyButNoValue() {
    Secrets secrets = new Secrets(Map.of("ORDERS_DB_PASSWORD", "s3cret"));

    assertThatThrownBy(() -> secrets.credentials("ORDERS_DB"))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.isNonRetryable()).isTrue();
          assertThat(f.getType()).isEqualTo(Secrets.MISSING);
        })
        .hasMessageContaining("ORDERS_DB_URL")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void readsPropertiesAndNeverPrintsValues() {
    Properties p = new Properties();
    p.setProperty("FLAGS_REDIS_URL", "redis://:pw@localhost:6379");
    Secrets secrets = Secrets.of(p);

    assertThat(secrets.require("FLAGS_REDIS_URL")).isEqualTo("redis://:pw@localhost:6379");
    assertThat(secrets.toString()).doesNotContain("pw");
    assertThat(secrets.optional("OTHER")).isEmpty();
  }
}
