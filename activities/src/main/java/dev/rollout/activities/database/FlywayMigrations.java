package dev.rollout.activities.database;

import dev.rollout.activities.DatabaseActivities.MigrationResult;
import dev.rollout.activities.support.Failures;
import dev.rollout.plan.Database;
import dev.rollout.plan.MigrationPhase;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateResult;

/**
 * Flyway migrations to a target version. Validates before migrating (a changed or missing applied
 * migration stops the rollout); an existing schema without Flyway history is baselined at version 1.
 */
final class FlywayMigrations {

  /** Migrates; the version before is null when the database had none. */
  MigrationResult migrate(PgConnection connection, String database, Database spec, MigrationPhase phase, String target) {
    if (target == null || target.isBlank()) throw Failures.badInput("migrate: targetVersion is required");
    if (spec.migrations() == null || spec.migrations().isBlank()) {
      throw Failures.badInput("database '" + database + "' has no migrations location");
    }
    MigrationVersion wanted = version(target);
    // Looked at without the target first: Flyway refuses even to describe a missing target.
    MigrationInfoService info = configure(connection, spec, null).info();
    MigrationInfo current = info.current();
    String previous = current == null || current.getVersion() == null ? null : current.getVersion().getVersion();
    if (java.util.Arrays.stream(info.all()).noneMatch(m -> wanted.equals(m.getVersion()))) {
      throw Failures.badInput(
          "no migration with version " + target + " at " + spec.migrations() + " for database '" + database + "'");
    }
    if (previous != null && MigrationVersion.fromVersion(previous).isNewerThan(target)) {
      throw Failures.badInput(
          phase.name().toLowerCase() + " migration of '" + database + "': the database is at " + previous
              + ", newer than the target " + target + " (Flyway does not migrate down; restore a backup)");
    }
    Flyway flyway = configure(connection, spec, target);
    ValidateResult validation = flyway.validateWithResult();
    if (!validation.validationSuccessful) {
      throw Failures.nonRetryable(
          "MigrationInvalid",
          "migrations of '" + database + "' do not validate: " + validation.getAllErrorMessages(),
          null);
    }
    try {
      MigrateResult result = flyway.migrate();
      return new MigrationResult(previous, target, result.migrationsExecuted);
    } catch (FlywayException e) {
      throw PgConnection.migrationFailure(database, e);
    }
  }

  private static MigrationVersion version(String target) {
    try {
      return MigrationVersion.fromVersion(target);
    } catch (FlywayException e) {
      throw Failures.badInput("targetVersion '" + target + "' is not a Flyway version (e.g. 2 or 2.1)");
    }
  }

  private static Flyway configure(PgConnection connection, Database spec, String target) {
    var credentials = connection.credentials();
    var config = Flyway.configure()
        .dataSource(credentials.url(), credentials.user(), credentials.password())
        .locations(spec.migrations())
        .baselineOnMigrate(true)
        // Migrations above the target are pending on purpose: expand now, contract later.
        .ignoreMigrationPatterns("*:pending");
    return (target == null ? config : config.target(target)).load();
  }
}
