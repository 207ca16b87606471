package dev.rollout.activities.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.activities.DatabaseActivities.BackupRecord;
import dev.rollout.activities.DatabaseActivities.MigrationResult;
import dev.rollout.activities.database.DatabaseActivitiesImpl;
import dev.rollout.activities.database.DatabaseSettings;
import dev.rollout.activities.support.Secrets;
import dev.rollout.plan.Database;
import dev.rollout.plan.MigrationPhase;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backup, expand/contract migrations and restore against the real PostgreSQL. */
@Tag("integration")
class DatabaseIntegrationTest {

  @TempDir Path backups;
  @TempDir Path migrations;
  PgFixture db;
  DatabaseActivitiesImpl activities;
  Database spec;

  @BeforeEach
  void database() throws Exception {
    db = new PgFixture("it_orders");
    db.execute(
        "create table orders (id int primary key, amount numeric not null, note text)",
        "insert into orders select g, g * 1.5, 'order ' || g from generate_series(1, 1000) g");
    Files.writeString(migrations.resolve("V2__expand_add_discount.sql"),
        "alter table orders add column discount numeric default 0;\ncreate table coupons (code text primary key);\n");
    Files.writeString(migrations.resolve("V3__contract_drop_note.sql"), "alter table orders drop column note;\n");
    activities = activities(db.secrets("ORDERS_DB"));
    spec = new Database("ORDERS_DB", "filesystem:" + migrations);
  }

  /** Every call is made as one workflow run ("run-1"), as a worker would for one rollout run. */
  private DatabaseActivitiesImpl activities(Secrets secrets) {
    return new DatabaseActivitiesImpl(new DatabaseSettings(backups), secrets, () -> "run-1");
  }

  @AfterEach
  void drop() throws Exception {
    db.close();
  }

  @Test
  void backupExpandBreakRestoreGivesBackEveryRowAndTheOldSchema() throws Exception {
    BackupRecord backup = activities.backup("r-1", "phase-1.step-0", "orders", spec);
    assertThat(Path.of(backup.location())).exists().hasSize(backup.sizeBytes());
    assertThat(backup.sha256()).hasSize(64);

    MigrationResult expand = activities.migrate("r-1", "orders", spec, MigrationPhase.EXPAND, "2");
    assertThat(expand.fromVersion()).isNull(); // an existing schema without Flyway history: baselined at 1
    assertThat(expand.changed()).isTrue();
    assertThat(db.hasColumn("orders", "discount")).isTrue();
    assertThat(db.exists("coupons")).isTrue();
    assertThat(activities.migrate("r-1", "orders", spec, MigrationPhase.EXPAND, "2"))
        .isEqualTo(expand); // a retry runs nothing again and still reports what the step did

    db.execute("delete from orders where id > 500", "update orders set amount = 0", "insert into coupons values ('FREE')");

    activities.restore("r-1", "orders", spec, backup);

    assertThat(db.queryLong("select count(*) from orders")).isEqualTo(1000);
    assertThat(db.queryLong("select sum(amount * 10) from orders")).isEqualTo(7_507_500L);
    assertThat(db.hasColumn("orders", "discount")).isFalse();
    assertThat(db.exists("coupons")).as("a table the migration created is gone").isFalse();
    assertThat(db.exists("flyway_schema_history")).isFalse();

    activities.restore("r-1", "orders", spec, backup); // idempotent
    assertThat(db.queryLong("select count(*) from orders")).isEqualTo(1000);
    assertThat(activities.migrate("r-1", "orders", spec, MigrationPhase.EXPAND, "2").fromVersion()).isNull(); // migrates again cleanly
  }

  @Test
  void aRetriedBackupFindsAndReverifiesTheSameFileInsteadOfDumpingAgain() throws Exception {
    BackupRecord first = activities.backup("r-1", "phase-1.step-0", "orders", spec);
    db.execute("insert into orders values (1001, 1, 'after the backup')");

    BackupRecord retry = activities.backup("r-1", "phase-1.step-0", "orders", spec);

    assertThat(retry).usingRecursiveComparison().ignoringFields("restoreCheck").isEqualTo(first);
    assertThat(retry.rowCounts()).as("re-verified against its own snapshot").containsEntry("public.orders", 1000L);
    try (var files = Files.walk(backups)) {
      assertThat(files.filter(f -> f.toString().endsWith(".dump"))).containsExactly(Path.of(first.location()));
    }
  }

  @Test
  void expandThenContractAreSeparateStepsAndNeverGoDown() throws Exception {
    activities.migrate("r-1", "orders", spec, MigrationPhase.EXPAND, "2");
    assertThat(db.hasColumn("orders", "note")).isTrue();

    assertThat(activities.migrate("r-1", "orders", spec, MigrationPhase.CONTRACT, "3"))
        .isEqualTo(new MigrationResult("2", "3", 1));
    assertThat(db.hasColumn("orders", "note")).isFalse();

    assertThatThrownBy(() -> activities.migrate("r-1", "orders", spec, MigrationPhase.EXPAND, "2"))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isTrue())
        .hasMessageContaining("at 3, newer than the target 2");
    assertThatThrownBy(() -> activities.migrate("r-1", "orders", spec, MigrationPhase.CONTRACT, "9"))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isTrue())
        .hasMessageContaining("no migration with version 9");
  }

  @Test
  void aChangedAppliedMigrationFailsValidationBeforeAnythingMigrates() throws Exception {
    activities.migrate("r-1", "orders", spec, MigrationPhase.EXPAND, "2");
    Files.writeString(migrations.resolve("V2__expand_add_discount.sql"), "alter table orders add column other int;\n");

    assertThatThrownBy(() -> activities.migrate("r-1", "orders", spec, MigrationPhase.CONTRACT, "3"))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isTrue())
        .hasMessageContaining("do not validate");
    assertThat(db.hasColumn("orders", "note")).as("contract did not run").isTrue();
  }

  @Test
  void aMigrationWhoseSqlFailsIsNonRetryableAndChangesNothing() throws Exception {
    Files.writeString(migrations.resolve("V4__broken.sql"), "alter table orders add column ok int;\nalter table nope add column x int;\n");

    assertThatThrownBy(() -> activities.migrate("r-1", "orders", spec, MigrationPhase.EXPAND, "4"))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.isNonRetryable()).isTrue();
          assertThat(f.getType()).as("V2 and V3 of the step stay: its undo is kept").isEqualTo("MigrationFailedPartly");
        })
        .hasMessageContaining("nope");
    assertThat(db.hasColumn("orders", "ok")).as("the failed migration's transaction rolled back").isFalse();
    assertThat(db.queryLong("select max(version::int) from flyway_schema_history where success")).isEqualTo(3);
  }

  @Test
  void anUnknownDatabaseOrRoleIsNonRetryableWithAClearMessage() {
    var unknownDb = activities(new Secrets(Map.of(
        "X_URL", Services.pgUrl("no_such_db"), "X_USER", "postgres")));
    var unknownRole = activities(new Secrets(Map.of(
        "X_URL", Services.pgUrl(db.database), "X_USER", "nobody", "X_PASSWORD", "wrong")));
    Database x = new Database("X", "filesystem:" + migrations);

    assertThatThrownBy(() -> unknownDb.backup("r-1", "s", "orders", x))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isTrue())
        .hasMessageContaining("refused").hasMessageContaining("no_such_db");
    assertThatThrownBy(() -> unknownRole.migrate("r-1", "orders", x, MigrationPhase.EXPAND, "2"))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isTrue())
        .hasMessageContaining("nobody")
        .hasMessageNotContaining("wrong");
    assertThat(backups.toFile().list()).isEmpty();
  }

  @Test
  void aRestoreThatFailsHalfWayLeavesTheDatabaseAsItWas() throws Exception {
    String owner = "rollout_tmp_owner_" + Long.toHexString(System.nanoTime());
    PgFixture.admin("create role " + owner);
    db.execute("create table audit (id int)", "alter table audit owner to " + owner);
    BackupRecord backup = activities.backup("r-1", "phase-1.step-0", "orders", spec);
    db.execute("drop table audit", "insert into orders values (1001, 1, 'after the backup')");
    PgFixture.admin("drop role " + owner); // the archive now names an owner that no longer exists

    assertThatThrownBy(() -> activities.restore("r-1", "orders", spec, backup))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.getType()).isEqualTo("RestoreFailed"))
        .hasMessageContaining(owner);
    assertThat(db.queryLong("select count(*) from orders")).as("nothing was dropped").isEqualTo(1001);
  }

  /** services.sh makes PostgreSQL ask this one role for its password (everyone else is trusted). */
  @Test
  void aWrongPasswordIsNonRetryableAndTheRightOneWorks() throws Exception {
    PgFixture.admin("do $$ begin create role rollout_password_check login password 'right';"
        + " exception when duplicate_object then alter role rollout_password_check password 'right'; end $$");
    PgFixture.admin("alter role rollout_password_check createdb");
    db.execute("grant all on table orders to rollout_password_check");
    var wrong = activities(new Secrets(Map.of(
        "X_URL", Services.pgUrl(db.database), "X_USER", "rollout_password_check", "X_PASSWORD", "wrong-pw")));
    var right = activities(new Secrets(Map.of(
        "X_URL", Services.pgUrl(db.database), "X_USER", "rollout_password_check", "X_PASSWORD", "right")));
    Database x = new Database("X", "filesystem:" + migrations);

    assertThatThrownBy(() -> wrong.backup("r-1", "s", "orders", x))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.isNonRetryable()).isTrue();
          assertThat(f.getType()).isEqualTo("DatabaseRefused");
        })
        .hasMessageContaining("password authentication failed")
        .hasMessageNotContaining("wrong-pw");
    assertThat(right.backup("r-1", "s", "orders", x).sizeBytes()).isPositive();
  }

  @Test
  void aBackupThatChangedOrVanishedIsNeverRestored() throws Exception {
    BackupRecord backup = activities.backup("r-1", "phase-1.step-0", "orders", spec);
    db.execute("delete from orders where id > 10");
    Files.write(Path.of(backup.location()), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);

    assertThatThrownBy(() -> activities.restore("r-1", "orders", spec, backup))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isTrue())
        .hasMessageContaining("changed since it was verified");
    Files.delete(Path.of(backup.location()));
    assertThatThrownBy(() -> activities.restore("r-1", "orders", spec, backup)).hasMessageContaining("is missing");
    assertThat(db.queryLong("select count(*) from orders")).isEqualTo(10);
  }
}
