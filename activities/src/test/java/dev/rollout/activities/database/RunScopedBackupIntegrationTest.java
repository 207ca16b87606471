package dev.rollout.activities.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.activities.DatabaseActivities;
import dev.rollout.activities.DatabaseActivities.BackupRecord;
import dev.rollout.activities.DatabaseActivities.MigrationResult;
import dev.rollout.activities.integration.PgFixture;
import dev.rollout.activities.integration.Services;
import dev.rollout.activities.support.Secrets;
import dev.rollout.plan.Database;
import dev.rollout.plan.MigrationPhase;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, the database side, against the real PostgreSQL: a backup belongs to one run, verified
 * means it restores, migrations that change nothing or would only baseline say so, and no message
 * quotes a secret.
 */
@Tag("integration")
class RunScopedBackupIntegrationTest {

  private static final String ROLLOUT = "rollout-orders.production";

  @TempDir Path root;
  @TempDir Path migrations;
  PgFixture db;
  Database spec;
  Path backups;
  String run = "run-A";
  DatabaseActivitiesImpl activities;

  @BeforeEach
  void database() throws Exception {
    db = new PgFixture("it_runs");
    db.execute(
        "create table orders (id int primary key, amount numeric not null, note text)",
        "insert into orders select g, g * 1.5, 'order ' || g from generate_series(1, 1000) g");
    Files.writeString(migrations.resolve("V2__expand_add_discount.sql"), "alter table orders add column discount numeric default 0;\n");
    spec = new Database("ORDERS_DB", "filesystem:" + migrations);
    backups = root.resolve("durable").resolve("backups");
    activities = new DatabaseActivitiesImpl(new DatabaseSettings(backups), db.secrets("ORDERS_DB"), () -> run);
  }

  @AfterEach
  void drop() throws Exception {
    db.close();
  }

  /** The first harm: rollout B restored rollout A's dump and lost every write in between. */
  @Test
  void aSecondRunOfTheSameRolloutBacksUpAfreshAndItsRestoreKeepsTheRowsWrittenSinceTheFirst() throws Exception {
    BackupRecord a = activities.backup(ROLLOUT, "p1s0", "orders", spec);
    assertThat(activities.migrate(ROLLOUT, "orders", spec, MigrationPhase.EXPAND, "2").changed()).isTrue();
    activities.releaseBackup(ROLLOUT, a); // rollout A completed
    db.execute("insert into orders select g, 7, 'after A' from generate_series(1001, 1500) g",
        "update orders set amount = amount + 100 where id <= 600");

    run = "run-B"; // the next rollout of the same plan: same rollout id, same step key
    BackupRecord b = activities.backup(ROLLOUT, "p1s0", "orders", spec);

    assertThat(b.location()).isNotEqualTo(a.location());
    assertThat(b.rowCounts()).containsEntry("public.orders", 1500L);
    assertThat(b.createdAt()).isAfter(a.createdAt());
    db.execute("delete from orders where id > 100", "alter table orders drop column discount"); // B's failure
    activities.restore(ROLLOUT, "orders", spec, b);

    assertThat(db.queryLong("select count(*) from orders")).isEqualTo(1500);
    assertThat(db.queryLong("select count(*) from orders where note = 'after A'")).isEqualTo(500);
    assertThat(db.queryLong("select count(*) from orders where amount = id * 1.5 + 100")).isEqualTo(600);
    assertThat(db.hasColumn("orders", "discount")).as("A's completed migration is kept").isTrue();
    assertThat(Path.of(a.location())).as("A's backup is still there, untouched").exists();
  }

  @Test
  void aRetryWithinTheRunReverifiesItsOwnFileAgainstItsOwnSnapshot() throws Exception {
    BackupRecord first = activities.backup(ROLLOUT, "p1s0", "orders", spec);
    db.execute("insert into orders values (1001, 1, 'after the backup')");

    BackupRecord retry = activities.backup(ROLLOUT, "p1s0", "orders", spec);

    assertThat(retry.location()).isEqualTo(first.location());
    assertThat(retry.sha256()).isEqualTo(first.sha256());
    assertThat(retry.createdAt()).isEqualTo(first.createdAt());
    assertThat(retry.rowCounts()).containsEntry("public.orders", 1000L);
    assertThat(retry.restoreCheck()).isNotNull();
  }

  /**
   * A worker killed with -9 leaves its pg_dump running while the retry dumps the same backup: they
   * once wrote one partial file and left an archive pg_restore could not read. Two attempts at once
   * now each write their own; one places its dump, the other checks and returns that one.
   */
  @Test
  void twoAttemptsOfTheSameBackupAtOnceLeaveOneReadableVerifiedBackup() throws Exception {
    db.execute("insert into orders select g, g, repeat('x', 500) from generate_series(1001, 20000) g"); // a dump that takes a while
    for (String step : List.of("p1s0", "p1s1", "p1s2")) {
      var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        var start = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.Callable<BackupRecord> attempt = () -> {
          start.await();
          return activities.backup(ROLLOUT, step, "orders", spec);
        };
        var first = pool.submit(attempt);
        var second = pool.submit(attempt);
        start.countDown();
        BackupRecord a = first.get(3, java.util.concurrent.TimeUnit.MINUTES);
        BackupRecord b = second.get(3, java.util.concurrent.TimeUnit.MINUTES);

        Path file = Path.of(a.location());
        assertThat(b.location()).isEqualTo(a.location());
        assertThat(Backups.sha256(file)).as("both name the one file in place").isEqualTo(a.sha256()).isEqualTo(b.sha256());
        assertThat(new Backups(new DatabaseSettings(backups)).checkArchive(file)).as("pg_restore reads it").isEqualTo(a.sha256());
        assertThat(a.rowCounts()).containsEntry("public.orders", 20000L);
        assertThat(b.rowCounts()).isEqualTo(a.rowCounts());
        assertThat(Backups.pin(file)).exists();
        try (var files = Files.list(file.getParent())) {
          assertThat(files.map(f -> f.getFileName().toString())).as("no partial dump left").noneMatch(n -> n.endsWith(Backups.PARTIAL));
        }
        assertThat(countDatabases(RestoreCheck.scratchName(file))).as("no scratch database left").isZero();
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void verifiedMeansItRestoredIntoAScratchDatabaseWithTheSameRowCountsWhichIsDroppedAfter() throws Exception {
    db.execute("create schema billing", "create table billing.invoices (id int)",
        "insert into billing.invoices select generate_series(1, 42)");
    Instant before = Instant.now().minusSeconds(5);

    BackupRecord backup = activities.backup(ROLLOUT, "p1s0", "orders", spec);

    assertThat(backup.rowCounts()).containsExactlyInAnyOrderEntriesOf(
        Map.of("public.orders", 1000L, "billing.invoices", 42L));
    assertThat(backup.restoreVerified()).isTrue();
    assertThat(backup.restoreCheck()).isPositive();
    assertThat(backup.databaseBytes()).isPositive();
    assertThat(backup.createdAt()).isBetween(before, Instant.now().plusSeconds(5));
    assertThat(backup.lossSummary()).isEqualTo("writes since " + backup.createdAt());
    String scratch = RestoreCheck.scratchName(Path.of(backup.location()));
    assertThat(countDatabases(scratch)).as("scratch database dropped").isZero();
  }

  @Test
  void aDumpThatRestoresWithOtherRowCountsIsCorruptAndTheScratchDatabaseIsDroppedAnyway() throws Exception {
    BackupRecord backup = activities.backup(ROLLOUT, "p1s0", "orders", spec);
    Path file = Path.of(backup.location());
    var check = new RestoreCheck(new DatabaseSettings(backups));

    assertThatThrownBy(() -> check.check(PgConnection.resolve("ORDERS_DB", db.secrets("ORDERS_DB")), "orders", file, file,
            Map.of("public.orders", 999L, "public.gone", 5L)))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.isNonRetryable()).isTrue();
          assertThat(f.getType()).isEqualTo(Backups.CORRUPT);
        })
        .hasMessageContaining("public.orders 999 -> 1000")
        .hasMessageContaining("public.gone 5 -> absent");
    assertThat(countDatabases(RestoreCheck.scratchName(file))).isZero();
  }

  @Test
  void aRetryDropsTheScratchDatabaseACrashedAttemptLeftBehind() throws Exception {
    Path file = new Backups(new DatabaseSettings(backups)).fileFor(ROLLOUT, run, "p1s0", "orders");
    String leftover = RestoreCheck.scratchName(file);
    PgFixture.admin("create database " + leftover);

    BackupRecord backup = activities.backup(ROLLOUT, "p1s0", "orders", spec);

    assertThat(backup.location()).isEqualTo(file.toString());
    assertThat(backup.rowCounts()).containsEntry("public.orders", 1000L);
    assertThat(countDatabases(leftover)).isZero();
  }

  @Test
  void aDatabaseOverTheLimitIsCheckedByListingOnlyAndTheRecordSaysSo() {
    var big = new DatabaseActivitiesImpl(
        new DatabaseSettings(backups).withVerifyRestoreMaxBytes(1), db.secrets("ORDERS_DB"), () -> run);

    BackupRecord backup = big.backup(ROLLOUT, "p1s0", "orders", spec);

    assertThat(backup.restoreVerified()).isFalse();
    assertThat(backup.rowCounts()).isNull();
    assertThat(backup.restoreCheck()).isNull();
    assertThat(backup.sha256()).hasSize(64);
    assertThat(backup.createdAt()).isNotNull();
  }

  @Test
  void theBackupDirectoryIsCreatedOwnerOnlyAndTheBackupIsPinnedUntilReleased() throws Exception {
    BackupRecord backup = activities.backup(ROLLOUT, "p1s0", "orders", spec);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backups))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(backup.location()))))
        .isEqualTo("rw-------");
    Path pin = Backups.pin(Path.of(backup.location()));
    assertThat(pin).exists();
    activities.releaseBackup(ROLLOUT, backup);
    assertThat(pin).doesNotExist();
    activities.releaseBackup(ROLLOUT, backup); // idempotent
    assertThatThrownBy(() -> activities.releaseBackup(ROLLOUT, new BackupRecord("orders", "/etc/passwd", 1, "x")))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isTrue());
  }

  /** In a real activity context: the run id comes from the activity's info, and it heartbeats. */
  @Test
  void inAnActivityTheBackupIsNamedByTheCallingRunAndHeartbeatsWhileVerifying() {
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    try {
      env.registerActivitiesImplementations(new DatabaseActivitiesImpl(new DatabaseSettings(backups), db.secrets("ORDERS_DB")));
      List<String> beats = new CopyOnWriteArrayList<>();
      env.setActivityHeartbeatListener(String.class, beats::add);
      DatabaseActivities stub = env.newActivityStub(DatabaseActivities.class, ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(2)).setHeartbeatTimeout(Duration.ofSeconds(30))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build());

      BackupRecord first = stub.backup(ROLLOUT, "p1s0", "orders", spec);
      BackupRecord second = stub.backup(ROLLOUT, "p1s0", "orders", spec); // the test env gives each call a new run id

      assertThat(first.location()).isNotEqualTo(second.location());
      assertThat(Path.of(first.location()).getParent().getParent()).isEqualTo(backups.resolve(ROLLOUT).resolve("orders"));
      assertThat(beats).isNotEmpty();
    } finally {
      env.close();
    }
  }

  @Test
  void aRoleThatMayNotCreateTheScratchDatabaseIsToldWhatToDo() throws Exception {
    String role = "rollout_nocreatedb_" + Long.toHexString(System.nanoTime());
    PgFixture.admin("create role " + role + " login");
    try {
      db.execute("grant select on table orders to " + role);
      var limited = new DatabaseActivitiesImpl(new DatabaseSettings(backups), new Secrets(Map.of(
          "X_URL", Services.pgUrl(db.database), "X_USER", role)), () -> run);

      assertThatThrownBy(() -> limited.backup(ROLLOUT, "p1s0", "orders", new Database("X", null)))
          .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
            assertThat(f.isNonRetryable()).isTrue();
            assertThat(f.getType()).isEqualTo("BackupUnverifiable");
          })
          .hasMessageContaining("CREATEDB").hasMessageContaining("verify-restore-max-bytes");
      try (var files = Files.walk(backups)) {
        assertThat(files.filter(Files::isRegularFile)).as("no partial dump, no pin left behind").isEmpty();
      }
    } finally {
      db.execute("revoke all on table orders from " + role);
      PgFixture.admin("drop role " + role);
    }
  }

  @Test
  void aMigrationToTheVersionTheDatabaseIsAtChangesNothingAndSaysSo() {
    MigrationResult first = activities.migrate(ROLLOUT, "orders", spec, MigrationPhase.EXPAND, "2");
    run = "run-B"; // the next rollout of the target (a retry of run-A's step reports run-A's change)
    MigrationResult again = activities.migrate(ROLLOUT, "orders", spec, MigrationPhase.EXPAND, "2");

    assertThat(first).isEqualTo(new MigrationResult(null, "2", 1));
    assertThat(again).isEqualTo(new MigrationResult("2", "2", 0));
    assertThat(again.changed()).isFalse();
  }

  /** The e2e trap: Flyway would baseline at 1 and report V1 applied while nothing ran. */
  @Test
  void aFirstMigrationFlywayWouldOnlyBaselineIsRefusedAndNothingIsWritten() throws Exception {
    Files.writeString(migrations.resolve("V1__create_customers.sql"),
        "create table customers (id int primary key);\ncreate table orders (id int primary key, amount numeric, note text);\n");

    assertThatThrownBy(() -> activities.migrate(ROLLOUT, "orders", spec, MigrationPhase.EXPAND, "2"))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.isNonRetryable()).isTrue();
          assertThat(f.getType()).isEqualTo(FlywayMigrations.WOULD_BASELINE);
        })
        .hasMessageContaining("V1__create_customers")
        .hasMessageContaining("without running it");
    assertThat(db.exists("customers")).isFalse();
    assertThat(db.exists("flyway_schema_history")).as("not even baselined").isFalse();
    assertThat(db.hasColumn("orders", "discount")).isFalse();

    db.execute("drop table orders"); // an empty schema: V1 really runs
    assertThat(activities.migrate(ROLLOUT, "orders", spec, MigrationPhase.EXPAND, "2"))
        .isEqualTo(new MigrationResult(null, "2", 2));
    assertThat(db.exists("customers")).isTrue();
  }

  /** A URL that holds a password never reaches a message, for any of the calls. */
  @Test
  void malformedOrRefusedUrlsWithAPasswordNeverAppearInAMessage() {
    String port = Services.get("ROLLOUT_PG_PORT");
    for (String url : List.of(
        "jdbc:postgresql://127.0.0.1:" + port + "/" + db.database + "?password=hunter2 &x=1",
        "jdbc:postgresql://127.0.0.1:" + port + "x/" + db.database + "?password=hunter2",
        "jdbc:postgresql://127.0.0.1:" + port + "/no_such_db_h3?user=postgres&password=hunter2")) {
      var broken = new DatabaseActivitiesImpl(new DatabaseSettings(backups), new Secrets(Map.of("X_URL", url)), () -> run);
      Database x = new Database("X", "filesystem:" + migrations);
      for (Runnable call : List.<Runnable>of(
          () -> broken.backup(ROLLOUT, "p1s0", "orders", x),
          () -> broken.migrate(ROLLOUT, "orders", x, MigrationPhase.EXPAND, "2"),
          () -> broken.restore(ROLLOUT, "orders", x, new BackupRecord("orders", "/nowhere.dump", 1, "x")))) {
        assertThatThrownBy(call::run)
            .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
              assertThat(f.isNonRetryable()).as(f.getMessage()).isTrue();
              assertThat(everything(f)).doesNotContain("hunter2").doesNotContain("password=");
            });
      }
    }
  }

  private static String everything(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  private static long countDatabases(String name) throws Exception {
    try (var c = java.sql.DriverManager.getConnection(Services.pgAdminUrl(), Services.get("ROLLOUT_PG_USER"), "");
        var s = c.prepareStatement("select count(*) from pg_database where left(datname, ?) = ?")) {
      s.setInt(1, name.length()); // a backup's scratch databases: its name, a random suffix per check
      s.setString(2, name);
      try (var rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
