package dev.rollout.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.activities.DatabaseActivities;
import dev.rollout.activities.DatabaseActivities.BackupRecord;
import dev.rollout.activities.database.DatabaseActivitiesImpl;
import dev.rollout.activities.database.DatabaseSettings;
import dev.rollout.activities.support.Secrets;
import dev.rollout.plan.Database;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL killed (-9, the postmaster and every backend) in the middle of a backup and in the
 * middle of a restore, through the real database activities: neither leaves a backup that looks
 * good nor a half-restored database, and the retry after PostgreSQL is back succeeds.
 */
@Tag("integration")
class PostgresKillTest {

  static final int ROWS = 300_000;
  static final Database SHOP = new Database("KILLED_DB", null);

  @TempDir Path backups;
  OwnPostgres pg;
  TestActivityEnvironment env;
  DatabaseActivities db;

  @BeforeEach
  void start() throws Exception {
    pg = new OwnPostgres();
    pg.execute("postgres", "create database shop");
    pg.execute("shop", "create table orders (id int primary key, item text)",
        "insert into orders select g, md5(g::text) from generate_series(1, " + ROWS + ") g");
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new DatabaseActivitiesImpl(new DatabaseSettings(backups),
        new Secrets(Map.of("KILLED_DB_URL", pg.url("shop"), "KILLED_DB_USER", "postgres"))));
    // One attempt per call: the test plays the retry itself, after PostgreSQL is back.
    db = env.newActivityStub(DatabaseActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(5)).setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build());
  }

  @AfterEach
  void stop() throws Exception {
    if (env != null) env.close();
    if (pg != null) pg.close();
  }

  @Test
  void killedDuringABackupLeavesNoBackupAndTheRetrySucceeds() throws Exception {
    CompletableFuture<BackupRecord> backup = CompletableFuture.supplyAsync(() -> db.backup("rollout-kill", "p1s1", "shop", SHOP));
    Poll.until("pg_dump to be reading the database", Duration.ofMinutes(2), () -> pg.busy("pg_dump") || backup.isDone());
    assertThat(backup).as("the backup was still running when PostgreSQL was killed").isNotDone();
    pg.kill();

    assertThatThrownBy(backup::join).hasCauseInstanceOf(ActivityFailure.class).rootCause().hasMessageContaining("pg_dump");
    try (Stream<Path> files = Files.walk(backups)) {
      assertThat(files.filter(Files::isRegularFile).map(Path::toString))
          .as("no backup file a retry (or a restore) could mistake for a good one").noneMatch(f -> f.endsWith(".dump"));
    }

    pg.start();
    BackupRecord record = db.backup("rollout-kill", "p1s1", "shop", SHOP);
    assertThat(Path.of(record.location())).exists();
    assertThat(record.sizeBytes()).isPositive();
  }

  @Test
  void killedDuringARestoreLeavesTheDatabaseAsItWasAndTheRetryRestoresTheBackup() throws Exception {
    BackupRecord record = db.backup("rollout-kill", "p1s1", "shop", SHOP);
    // What a migration and the new version did since the backup.
    pg.execute("shop", "alter table orders add column note text", "insert into orders values (" + (ROWS + 1) + ", 'new', 'after backup')");

    CompletableFuture<Void> restore = CompletableFuture.runAsync(() -> db.restore("rollout-kill", "shop", SHOP, record));
    Poll.until("psql to be restoring", Duration.ofMinutes(2), () -> pg.busy("psql") || restore.isDone());
    assertThat(restore).as("the restore was still running when PostgreSQL was killed").isNotDone();
    pg.kill();

    assertThatThrownBy(restore::join).hasCauseInstanceOf(ActivityFailure.class);
    pg.start();
    assertThat(pg.queryLong("shop", "select count(*) from orders")).as("all or nothing: the rows before the restore").isEqualTo(ROWS + 1);
    assertThat(pg.queryLong("shop", "select count(*) from information_schema.columns where table_name = 'orders' and column_name = 'note'"))
        .as("the schema before the restore, not a mix").isEqualTo(1);

    db.restore("rollout-kill", "shop", SHOP, record);
    assertThat(pg.queryLong("shop", "select count(*) from orders")).isEqualTo(ROWS);
    assertThat(pg.queryLong("shop", "select count(*) from information_schema.columns where table_name = 'orders' and column_name = 'note'")).isZero();
  }
}
