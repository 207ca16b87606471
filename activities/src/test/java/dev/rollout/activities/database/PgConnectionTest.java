package dev.rollout.activities.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.activities.support.Secrets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
  void backupFilesAreNamedByRolloutStepAndDatabase() {
    var backups = new Backups(new DatabaseSettings(Path.of("/backups")));

    assertThat(backups.fileFor("rollout/shop/prod", "phase-1.step-0", "orders"))
        .isEqualTo(Path.of("/backups/rollout_shop_prod/phase-1.step-0-orders.dump"));
  }
}
