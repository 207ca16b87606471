package dev.rollout.activities.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.activities.DatabaseActivities.BackupRecord;
import dev.rollout.activities.DatabaseActivities.MigrationResult;
import dev.rollout.activities.integration.PgFixture;
import dev.rollout.activities.integration.Services;
import dev.rollout.activities.support.Secrets;
import dev.rollout.plan.Database;
import dev.rollout.plan.MigrationPhase;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DBA's bad day against the real PostgreSQL: a migration retried after it committed, a step that
 * stops half way, the application's role after a restore, a restore aimed at the wrong database,
 * a password in the URL.
 */
@Tag("integration")
class DbaBadDayIntegrationTest {

  private static final String ROLLOUT = "rollout-orders.production";

  @TempDir Path root;
  @TempDir Path migrations;
  PgFixture db;
  Database spec;
  String run = "run-A";
  DatabaseActivitiesImpl activities;

  @BeforeEach
  void database() throws Exception {
    db = new PgFixture("it_badday");
    db.execute(
        "create table orders (id int primary key, amount numeric not null)",
        "insert into orders select g, g from generate_series(1, 100) g");
    Files.writeString(migrations.resolve("V2__add_discount.sql"), "alter table orders add column discount numeric default 0;\n");
    Files.writeString(migrations.resolve("V3__add_coupons.sql"), "create table coupons (code text primary key);\n");
    spec = new Database("ORDERS_DB", "filesystem:" + migrations);
    activities = new DatabaseActivitiesImpl(new DatabaseSettings(root.resolve("backups")), db.secrets("ORDERS_DB"), () -> run);
  }

  @AfterEach
  void drop() throws Exception {
    db.close();
  }

  /**
   * The worker died after Flyway committed, before the activity completed: Temporal retries it. The
   * retry ran nothing again but answered "changed nothing" (2 → 2, 0 applied), and the workflow
   * then dropped the step's undo: a breaking migration's restore never ran on rollback.
   */
  @Test
  void aRetryAfterTheMigrationCommittedStillReportsWhatTheStepApplied() throws Exception {
    MigrationResult lost = activities.migrate(ROLLOUT, "orders", spec, MigrationPhase.EXPAND, "3"); // its answer never arrives
    assertThat(lost).isEqualTo(new MigrationResult(null, "3", 2));

    MigrationResult retry = activities.migrate(ROLLOUT, "orders", spec, MigrationPhase.EXPAND, "3");

    assertThat(retry).isEqualTo(new MigrationResult(null, "3", 2));
    assertThat(retry.changed()).as("the step's undo is kept").isTrue();
    assertThat(db.queryLong("select count(*) from flyway_schema_history where success and version = '3'"))
        .as("nothing applied twice").isEqualTo(1);
    assertThat(db.queryLong("select count(*) from flyway_schema_history where installed_by = 'rollout run run-A to 3'"))
        .as("the history table says which run applied what (baseline, V2, V3)").isEqualTo(3);

    run = "run-B"; // the next rollout of the target finds the database at its target: nothing of its own to undo
    assertThat(activities.migrate(ROLLOUT, "orders", spec, MigrationPhase.EXPAND, "3"))
        .isEqualTo(new MigrationResult("3", "3", 0));
  }

  /** The contract step of the same run is its own step: it reports only what it applied. */
  @Test
  void aLaterStepOfTheSameRunReportsOnlyItsOwnMigrations() {
    assertThat(activities.migrate(ROLLOUT, "orders", spec, MigrationPhase.EXPAND, "2"))
        .isEqualTo(new MigrationResult(null, "2", 1));
    MigrationResult contract = activities.migrate(ROLLOUT, "orders", spec, MigrationPhase.CONTRACT, "3");
    assertThat(contract).isEqualTo(new MigrationResult("2", "3", 1));
    assertThat(activities.migrate(ROLLOUT, "orders", spec, MigrationPhase.CONTRACT, "3")).as("its retry").isEqualTo(contract);
  }

  /**
   * A step of two migrations whose second fails: the first stays committed. The message said
   * "failed (rolled back)", as if the step had changed nothing; it now says where the database is.
   */
  @Test
  void aStepWhoseSecondMigrationFailsSaysTheFirstStaysApplied() throws Exception {
    Files.writeString(migrations.resolve("V3__add_coupons.sql"), "create table coupons (code text primary key);\nselect 1/0;\n");

    assertThatThrownBy(() -> activities.migrate(ROLLOUT, "orders", spec, MigrationPhase.EXPAND, "3"))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.isNonRetryable()).isTrue();
          assertThat(f.getType()).as("its undo is kept").isEqualTo("MigrationFailedPartly");
        })
        .hasMessageContaining("the database is at version 2, with 1 migration(s) of this step applied")
        .hasMessageContaining("division by zero");
    assertThat(db.hasColumn("orders", "discount")).isTrue();
    assertThat(db.exists("coupons")).as("the failed migration rolled back").isFalse();
  }

  /** A step whose only migration fails keeps nothing of it, and its failure's type says so (no restore needed). */
  @Test
  void aStepWhoseOnlyMigrationFailsSaysNothingStays() throws Exception {
    Files.writeString(migrations.resolve("V2__add_discount.sql"), "alter table orders add column discount numeric;\nselect 1/0;\n");

    assertThatThrownBy(() -> activities.migrate(ROLLOUT, "orders", spec, MigrationPhase.BREAKING, "2"))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.isNonRetryable()).isTrue();
          assertThat(f.getType()).isIn(dev.rollout.activities.DatabaseActivities.MIGRATION_CHANGED_NOTHING).isEqualTo("MigrationFailed");
        })
        .hasMessageContaining("nothing of this step stays");
    assertThat(db.hasColumn("orders", "discount")).isFalse();
  }

  /**
   * The application's own role reads and writes its tables after a rollback's restore. The restore
   * recreated the public schema as the restoring role's with no privilege for anyone else: the
   * application no longer saw its tables ("relation orders does not exist") on the known-good state.
   */
  @Test
  void theApplicationsRoleStillReachesItsTablesAfterARestore() throws Exception {
    String app = "it_badday_app_" + Long.toHexString(System.nanoTime());
    PgFixture.admin("create role " + app + " login");
    try {
      db.execute("grant select, insert on orders to " + app);
      assertThat(readAndWriteAs(app)).isEqualTo(100);
      String publicBefore = publicSchema();
      BackupRecord backup = activities.backup(ROLLOUT, "p1s0", "orders", spec);
      activities.migrate(ROLLOUT, "orders", spec, MigrationPhase.BREAKING, "3");

      activities.restore(ROLLOUT, "orders", spec, backup);

      assertThat(readAndWriteAs(app)).as("the backup's rows, and it writes again").isEqualTo(101);
      assertThat(publicSchema()).as("owner, privileges and comment as before").isEqualTo(publicBefore);
      assertThat(db.exists("coupons")).isFalse();
    } finally {
      db.close(); // the role owns nothing only once the database holding its grants is gone
      PgFixture.admin("drop role if exists " + app);
    }
  }

  /**
   * A restore drops every user schema of the database its URL names. A backup of another database
   * (the URL changed since, or another plan database's record) is refused, and nothing changes.
   */
  @Test
  void aRestoreAimedAtAnotherDatabaseIsRefusedAndChangesNothing() throws Exception {
    BackupRecord backup = activities.backup(ROLLOUT, "p1s0", "orders", spec);
    try (PgFixture other = new PgFixture("it_badday_other")) {
      other.execute("create table customers (id int primary key)", "insert into customers values (1), (2)");
      var pointedElsewhere = new DatabaseActivitiesImpl(
          new DatabaseSettings(root.resolve("backups")), other.secrets("ORDERS_DB"), () -> run);

      assertThatThrownBy(() -> pointedElsewhere.restore(ROLLOUT, "orders", spec, backup))
          .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
            assertThat(f.isNonRetryable()).isTrue();
            assertThat(f.getType()).isEqualTo(Backups.OTHER_DATABASE);
          })
          .hasMessageContaining("dumped from the server's database '" + db.database + "'")
          .hasMessageContaining("ORDERS_DB_URL now names '" + other.database + "'");
      assertThat(other.queryLong("select count(*) from customers")).isEqualTo(2);

      assertThatThrownBy(() -> activities.restore(ROLLOUT, "customers", spec, backup))
          .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.getType()).isEqualTo(Backups.OTHER_DATABASE))
          .hasMessageContaining("is of database 'orders', not of 'customers'");
    }
  }

  /**
   * A session left idle in a transaction holds a lock on a table the rollback's restore must drop.
   * The restore waited for it with no limit, until the activity timed out with nothing said (and its
   * psql, still queued, could restore later, after a person had decided to keep the data). Now it
   * gives up after its lock wait, changes nothing, and names the session; once that ends, it runs.
   */
  @Test
  void aRestoreBlockedByAnOpenTransactionChangesNothingAndNamesWhoHoldsTheLock() throws Exception {
    BackupRecord backup = activities.backup(ROLLOUT, "p1s0", "orders", spec);
    activities.migrate(ROLLOUT, "orders", spec, MigrationPhase.BREAKING, "3");
    var impatient = new DatabaseActivitiesImpl(
        new DatabaseSettings(root.resolve("backups")), db.secrets("ORDERS_DB"), () -> run, java.time.Duration.ofSeconds(2));
    try (Connection holder = idleInTransactionReadingOrders()) {
      assertThatThrownBy(() -> impatient.restore(ROLLOUT, "orders", spec, backup))
          .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
            assertThat(f.isNonRetryable()).as("retried: the session may end").isFalse();
            assertThat(f.getType()).isEqualTo(Restorer.BLOCKED);
          })
          .hasMessageContaining("changed nothing")
          .hasMessageContaining("'checkout-report' as " + Services.get("ROLLOUT_PG_USER") + ", idle in transaction");
      assertThat(db.exists("coupons")).as("still the migrated schema").isTrue();
    }

    impatient.restore(ROLLOUT, "orders", spec, backup);
    assertThat(db.exists("coupons")).isFalse();
    assertThat(db.queryLong("select count(*) from orders")).isEqualTo(100);
  }

  /**
   * A migration queued behind an open transaction for its ALTER TABLE queues every query of the
   * application on that table behind it. It waited with no limit (the application stopped, the
   * activity timed out); now it gives up after the lock wait, rolled back, retryable, naming the
   * session; the retry applies it once.
   */
  @Test
  void aMigrationBlockedByAnOpenTransactionRollsBackIsRetriedAndNamesWhoHoldsTheLock() throws Exception {
    var impatient = new DatabaseActivitiesImpl(
        new DatabaseSettings(root.resolve("backups")), db.secrets("ORDERS_DB"), () -> run, java.time.Duration.ofSeconds(2));
    try (Connection holder = idleInTransactionReadingOrders()) {
      assertThatThrownBy(() -> impatient.migrate(ROLLOUT, "orders", spec, MigrationPhase.EXPAND, "2"))
          .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
            assertThat(f.isNonRetryable()).isFalse();
            assertThat(f.getType()).isEqualTo("MigrationBlockedByLocks");
          })
          .hasMessageContaining("waited 2 s")
          .hasMessageContaining("'checkout-report' as " + Services.get("ROLLOUT_PG_USER") + ", idle in transaction");
      assertThat(db.hasColumn("orders", "discount")).isFalse();
    }

    assertThat(impatient.migrate(ROLLOUT, "orders", spec, MigrationPhase.EXPAND, "2"))
        .as("the retry").isEqualTo(new MigrationResult(null, "2", 1));
    assertThat(db.hasColumn("orders", "discount")).isTrue();
  }

  /** An application session that read orders and left its transaction open: it holds ACCESS SHARE on orders. */
  private Connection idleInTransactionReadingOrders() throws Exception {
    java.util.Properties props = new java.util.Properties();
    props.setProperty("user", Services.get("ROLLOUT_PG_USER"));
    props.setProperty("ApplicationName", "checkout-report");
    Connection holder = DriverManager.getConnection(Services.pgUrl(db.database), props);
    holder.setAutoCommit(false);
    holder.createStatement().executeQuery("select count(*) from orders").close();
    return holder;
  }

  /** Flyway logs the URL it connects to: a password given in the URL must not reach the worker's log. */
  @Test
  void aPasswordInTheUrlNeverReachesTheLogs() throws Exception {
    String url = Services.pgUrl(db.database) + (Services.pgUrl(db.database).contains("?") ? "&" : "?")
        + "user=" + Services.get("ROLLOUT_PG_USER") + "&password=Hunter2-badday";
    var withPassword = new DatabaseActivitiesImpl(
        new DatabaseSettings(root.resolve("backups")), new Secrets(Map.of("ORDERS_DB_URL", url)), () -> run);
    PrintStream err = System.err;
    PrintStream out = System.out;
    ByteArrayOutputStream logged = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(logged, true, StandardCharsets.UTF_8);
    System.setErr(capture);
    System.setOut(capture);
    try {
      BackupRecord backup = withPassword.backup(ROLLOUT, "p1s0", "orders", spec);
      withPassword.migrate(ROLLOUT, "orders", spec, MigrationPhase.BREAKING, "3");
      withPassword.restore(ROLLOUT, "orders", spec, backup);
    } finally {
      System.setErr(err);
      System.setOut(out);
    }
    String log = logged.toString(StandardCharsets.UTF_8);
    assertThat(log).as("something was logged").contains("orders");
    assertThat(log).doesNotContain("Hunter2-badday");
    assertThat(db.exists("coupons")).as("restored").isFalse();
  }

  /** The rows the role reads; then it writes one more. */
  private long readAndWriteAs(String role) throws Exception {
    try (Connection c = DriverManager.getConnection(Services.pgUrl(db.database), role, "");
        ResultSet rs = c.createStatement().executeQuery("select count(*) from orders")) {
      rs.next();
      long rows = rs.getLong(1);
      c.createStatement().execute("insert into orders values (" + (200_000 + rows) + ", 1)");
      return rows;
    }
  }

  private String publicSchema() throws Exception {
    try (Connection c = db.connect();
        ResultSet rs = c.createStatement().executeQuery("select nspowner::regrole || ' ' || coalesce(nspacl::text, '-')"
            + " || ' ' || coalesce(obj_description(oid, 'pg_namespace'), '-') from pg_namespace where nspname = 'public'")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
