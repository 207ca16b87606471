package dev.rollout.activities.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.activities.support.Secrets;
import java.nio.file.Path;
import java.util.Map;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PgConnectionTest {

  @Test
  void handsToolsALibpqUriAndThePasswordOnlyThroughTheEnvironment() {
    var secrets = new Secrets(Map.of(
        "ORDERS_DB_URL", "jdbc:postgresql://db.internal:5433/orders?sslmode=require&ApplicationName=x",
        "ORDERS_DB_USER", "app", "ORDERS_DB_PASSWORD", "s3cret"));

    PgConnection c = PgConnection.resolve("ORDERS_DB", secrets);

    assertThat(c.libpqUri()).isEqualTo("postgresql://db.internal:5433/orders?sslmode=require");
    assertThat(c.toolEnvironment()).containsEntry("PGPASSWORD", "s3cret").containsEntry("PGUSER", "app");
    assertThat(c.toString()).doesNotContain("s3cret");
  }

  @Test
  void aNonPostgresUrlOrMissingSecretIsNamed() {
    assertThatThrownBy(() -> PgConnection.resolve("X", new Secrets(Map.of("X_URL", "jdbc:mysql://h/d"))))
        .hasMessageContaining("X_URL must be a jdbc:postgresql:// URL");
    assertThatThrownBy(() -> PgConnection.resolve("ORDERS_DB", new Secrets(Map.of())))
        .hasMessageContaining("ORDERS_DB_URL");
  }

  @Test
  void backupFilesAreNamedByRolloutDatabaseRunAndStep() {
    var backups = new Backups(new DatabaseSettings(Path.of("/backups")));

    assertThat(backups.fileFor("rollout/shop/prod", "0f1e-run", "phase-1.step-0", "orders"))
        .isEqualTo(Path.of("/backups/rollout_shop_prod/orders/0f1e-run/phase-1.step-0.dump"));
    assertThat(backups.fileFor("rollout-shop", "another-run", "phase-1.step-0", "orders"))
        .as("another run of the same rollout never finds the first one's file")
        .isNotEqualTo(backups.fileFor("rollout-shop", "0f1e-run", "phase-1.step-0", "orders"));
    assertThat(backups.fileFor("..", "..", "..", "orders")).isEqualTo(Path.of("/backups/_/orders/_/_.dump"));
  }

  /** A malformed URL may hold a password: no message ever quotes it. */
  @ParameterizedTest
  @ValueSource(strings = {
      "jdbc:postgresql://127.0.0.1:notaport/orders?user=app&password=hunter2",
      "jdbc:postgresql://127.0.0.1:5432/orders?password=hunter2 &ssl=true",
      "jdbc:postgresql://127.0.0.1:5432/?password=hunter2",
      "jdbc:postgresql:/127.0.0.1/orders?password=hunter2"})
  void aMalformedUrlIsRefusedWithoutQuotingIt(String url) {
    assertThatThrownBy(() -> PgConnection.resolve("ORDERS_DB", new Secrets(Map.of("ORDERS_DB_URL", url))))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isTrue())
        .hasMessageContaining("ORDERS_DB_URL")
        .hasMessageNotContaining("hunter2")
        .hasMessageNotContaining("password=");
  }

  @Test
  void aPasswordInTheUrlReachesTheToolsAndIsRedactedFromMessages() {
    var c = PgConnection.resolve("ORDERS_DB", new Secrets(Map.of(
        "ORDERS_DB_URL", "jdbc:postgresql://db:5432/orders?password=hunter2&sslmode=require")));

    assertThat(c.toolEnvironment()).containsEntry("PGPASSWORD", "hunter2");
    assertThat(c.libpqUri()).isEqualTo("postgresql://db:5432/orders?sslmode=require");
    assertThat(c.redact("No suitable driver found for jdbc:postgresql://db:5432/orders?password=hunter2&sslmode=require"))
        .isEqualTo("No suitable driver found for <ORDERS_DB_URL>");
    assertThat(c.redact("connect to postgresql://x/y?password=hunter2 failed; pw hunter2"))
        .doesNotContain("hunter2").contains("password=***");
    assertThat(c.withDatabase("rollout_verify_1").credentials().url())
        .isEqualTo("jdbc:postgresql://db:5432/rollout_verify_1?password=hunter2&sslmode=require");
  }

  /** pg_dump got the password from the URL but not the user, and connected as the worker's OS user. */
  @Test
  void aUserInTheUrlReachesTheToolsAndAnExplicitOneWins() {
    var inUrl = PgConnection.resolve("ORDERS_DB", new Secrets(Map.of(
        "ORDERS_DB_URL", "jdbc:postgresql://db:5432/orders?user=orders_app&password=hunter2")));
    var explicit = PgConnection.resolve("ORDERS_DB", new Secrets(Map.of(
        "ORDERS_DB_URL", "jdbc:postgresql://db:5432/orders?user=orders_app", "ORDERS_DB_USER", "orders_admin")));

    assertThat(inUrl.toolEnvironment()).containsEntry("PGUSER", "orders_app").containsEntry("PGPASSWORD", "hunter2");
    assertThat(inUrl.libpqUri()).isEqualTo("postgresql://db:5432/orders");
    assertThat(explicit.toolEnvironment()).containsEntry("PGUSER", "orders_admin");
    assertThat(inUrl.credentials().toString()).doesNotContain("hunter2");
  }
}
