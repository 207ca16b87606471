package dev.rollout.activities.database;

import dev.rollout.activities.DatabaseActivities.MigrationResult;
import dev.rollout.activities.support.Failures;
import dev.rollout.plan.Database;
import dev.rollout.plan.MigrationPhase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateResult;

/**
 * Flyway migrations to a target version. Validates before migrating (a changed or missing applied
 * migration stops the rollout); an existing schema without Flyway history is baselined at version 1
 * — and refused when it has a migration at or below version 1, which Flyway would mark as applied
 * without running it.
 */
final class FlywayMigrations {

  static final String WOULD_BASELINE = "MigrationWouldOnlyBaseline";

  /**
   * How long a migration's statement waits for a lock (its session's {@code lock_timeout}; a
   * migration may set its own). A statement queued for a table's exclusive lock behind a long
   * transaction queues every query of the application on that table behind it: the application
   * stops. After this wait the migration rolls back and is retried, saying who holds the locks.
   */
  private final Duration lockWait;

  FlywayMigrations(Duration lockWait) {
    this.lockWait = lockWait;
  }

  /** Objects in the schema Flyway migrates; any of them makes Flyway baseline instead of migrate. */
  private static final String SCHEMA_OBJECTS = """
      select (select count(*) from pg_class c where c.relnamespace = n.oid)
           + (select count(*) from pg_proc p where p.pronamespace = n.oid)
           + (select count(*) from pg_type t where t.typnamespace = n.oid and t.typtype in ('e', 'd', 'r'))
        from pg_namespace n where n.nspname = current_schema()""";

  /**
   * Migrates; the version before is null when the database had none. What this step's earlier
   * attempts applied counts as this step's: a retry after a worker died (or the connection
   * dropped) with the migrations committed runs nothing again, and still reports the version the
   * step started from and every migration it applied — never "changed nothing", which would drop
   * the step's undo.
   *
   * @param runId the calling workflow run: with the target it marks, in Flyway's
   *     {@code installed_by}, the migrations this step applied
   */
  MigrationResult migrate(
      PgConnection connection, String database, Database spec, MigrationPhase phase, String target, String runId) {
    if (target == null || target.isBlank()) throw Failures.badInput("migrate: targetVersion is required");
    if (spec.migrations() == null || spec.migrations().isBlank()) {
      throw Failures.badInput("database '" + database + "' has no migrations location");
    }
    MigrationVersion wanted = version(target);
    String step = installedBy(runId, target);
    // Looked at without the target first: Flyway refuses even to describe a missing target.
    Flyway untargeted = configure(connection, spec, null, step);
    MigrationInfoService info = untargeted.info();
    MigrationInfo current = info.current();
    String previous = current == null || current.getVersion() == null ? null : current.getVersion().getVersion();
    StepSoFar soFar = StepSoFar.of(info.applied(), step, previous);
    if (Arrays.stream(info.all()).noneMatch(m -> wanted.equals(m.getVersion()))) {
      throw Failures.badInput(
          "no migration with version " + target + " at " + spec.migrations() + " for database '" + database + "'");
    }
    if (previous != null && MigrationVersion.fromVersion(previous).isNewerThan(target)) {
      throw Failures.badInput(
          phase.name().toLowerCase() + " migration of '" + database + "': the database is at " + previous
              + ", newer than the target " + target + " (Flyway does not migrate down; restore a backup)");
    }
    if (current == null) refuseSilentBaseline(connection, database, spec, info, untargeted);
    Flyway flyway = configure(connection, spec, target, step);
    ValidateResult validation = flyway.validateWithResult();
    if (!validation.validationSuccessful) {
      throw Failures.nonRetryable(
          "MigrationInvalid",
          "migrations of '" + database + "' do not validate: " + connection.redact(validation.getAllErrorMessages()),
          null);
    }
    try {
      MigrateResult result = flyway.migrate();
      return new MigrationResult(soFar.fromVersion(), target, soFar.applied() + result.migrationsExecuted);
    } catch (FlywayException e) {
      throw connection.migrationFailure(database, e, lockWait, () -> whereItStopped(untargeted, step));
    }
  }

  /**
   * What the earlier attempts of one step applied: the version before its first migration, and how
   * many it applied (a baseline is not one).
   */
  record StepSoFar(String fromVersion, int applied) {

    static StepSoFar of(MigrationInfo[] applied, String step, String current) {
      int first = -1;
      int count = 0;
      for (int i = 0; i < applied.length; i++) {
        if (!step.equals(applied[i].getInstalledBy()) || applied[i].getState().isFailed()) continue;
        if (first < 0) first = i;
        if (applied[i].getState() != MigrationState.BASELINE) count++;
      }
      if (first < 0) return new StepSoFar(current, 0);
      String before = null;
      for (int i = first - 1; i >= 0 && before == null; i--) {
        if (applied[i].getVersion() != null && !applied[i].getState().isFailed()) before = applied[i].getVersion().getVersion();
      }
      return new StepSoFar(before, count);
    }
  }

  /** After a failed migration: the database's version now, and how many migrations of this step it keeps. */
  record Stopped(String version, long appliedByStep) {
    String describe() {
      return "the database is at version " + version + ", with " + appliedByStep + " migration(s) of this step applied";
    }
  }

  private static Stopped whereItStopped(Flyway flyway, String step) {
    MigrationInfoService info = flyway.info();
    MigrationInfo current = info.current();
    String version = current == null || current.getVersion() == null ? "none" : current.getVersion().getVersion();
    long ours = Arrays.stream(info.applied())
        .filter(m -> step.equals(m.getInstalledBy()) && m.getState() == MigrationState.SUCCESS)
        .count();
    return new Stopped(version, ours);
  }

  /**
   * Flyway's {@code installed_by} (at most 100 characters) for the migrations of one step: the run
   * and the target version. A DBA reading the history table sees which rollout run applied what.
   */
  static String installedBy(String runId, String target) {
    String mark = "rollout run " + runId + " to " + target;
    return mark.length() <= 100 ? mark : mark.substring(0, 100);
  }

  /**
   * With no Flyway history and a non-empty schema, {@code baselineOnMigrate} records the baseline
   * version as applied and skips every migration at or below it: a {@code V1__} would be reported
   * as done while nothing ran. Refused, before anything is written.
   */
  private static void refuseSilentBaseline(
      PgConnection connection, String database, Database spec, MigrationInfoService info, Flyway flyway) {
    MigrationVersion baseline = flyway.getConfiguration().getBaselineVersion();
    List<String> skipped = Arrays.stream(info.all())
        .filter(m -> m.getVersion() != null && !m.getVersion().isNewerThan(baseline.getVersion()))
        .map(m -> "V" + m.getVersion() + "__" + m.getDescription().replace(' ', '_'))
        .toList();
    if (skipped.isEmpty() || !hasObjects(connection, database)) return;
    throw Failures.nonRetryable(WOULD_BASELINE,
        "database '" + database + "' has tables but no Flyway history, so Flyway would only baseline it at version "
            + baseline + " and mark " + skipped + " from " + spec.migrations() + " as applied without running "
            + (skipped.size() == 1 ? "it" : "them") + ". If the schema already has what "
            + (skipped.size() == 1 ? "it creates" : "they create") + ", run `flyway baseline` on the database first;"
            + " otherwise number the first migration above " + baseline + " (e.g. V2__).",
        null);
  }

  private static boolean hasObjects(PgConnection connection, String database) {
    try (Connection c = connection.open(); ResultSet rs = c.createStatement().executeQuery(SCHEMA_OBJECTS)) {
      return rs.next() && rs.getLong(1) > 0;
    } catch (SQLException e) {
      throw connection.classify(database, e);
    }
  }

  private static MigrationVersion version(String target) {
    try {
      return MigrationVersion.fromVersion(target);
    } catch (FlywayException e) {
      throw Failures.badInput("targetVersion '" + target + "' is not a Flyway version (e.g. 2 or 2.1)");
    }
  }

  private Flyway configure(PgConnection connection, Database spec, String target, String installedBy) {
    var credentials = connection.credentials();
    var config = Flyway.configure()
        .dataSource(credentials.url(), credentials.user(), credentials.password())
        .installedBy(installedBy)
        .initSql("SET lock_timeout = '" + lockWait.toMillis() + "ms'")
        .locations(spec.migrations())
        .baselineOnMigrate(true)
        // Migrations above the target are pending on purpose: expand now, contract later.
        .ignoreMigrationPatterns("*:pending");
    return (target == null ? config : config.target(target)).load();
  }
}
