package dev.rollout.activities.database;

import dev.rollout.activities.support.Failures;
import dev.rollout.plan.Database;
import dev.rollout.plan.MigrationPhase;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.ValidateResult;

/**
 * Flyway migrations to a target version. Validates before migrating (a changed or missing applied
 * migration stops the rollout); an existing schema without Flyway history is baselined at version 1.
 */
final class FlywayMigrations {

  /** Migrates and returns the version before, or null when the database had none. */
  String migrate(PgConnection connection, String database, Database spec, MigrationPhase phase, String target) {
    if (target == null || target.isBlank()) throw Failures.badInput("migrate: targetVersion is required");
    if (spec.migrations() == null || spec.migrations().isBlank()) {
      throw Failures.badInput("database '" + database + "' has no migrations location");
    }
    Flyway flyway = configure(connection, spec, target);
    MigrationInfo current = flyway.info().current();
    String previous = current == null || current.getVersion() == null ? null : current.getVersion().getVersion();
    if (flyway.info().all().length == 0) {
      throw Failures.badInput("no migrations found at " + spec.migrations() + " for database '" + database + "'");
    }
    if (previous != null && MigrationVersion.fromVersion(previous).isNewerThan(target)) {
      throw Failures.badInput(
          phase.name().toLowerCase() + " migration of '" + database + "': the database is at " + previous
              + ", newer than the target " + target + " (Flyway does not migrate down; restore a backup)");
    }
    ValidateResult validation = flyway.validateWithResult();
    if (!validation.validationSuccessful) {
      throw Failures.nonRetryable(
          "MigrationInvalid",
          "migrations of '" + database + "' do not validate: " + validation.getAllErrorMessages(),
          null);
    }
    flyway.migrate();
    return previous;
  }

  private static Flyway configure(PgConnection connection, Database spec, String target) {
    var credentials = connection.credentials();
    return Flyway.configure()
        .dataSource(credentials.url(), credentials.user(), credentials.password())
        .locations(spec.migrations())
        .target(target)
        .baselineOnMigrate(true)
        // Migrations above the target are pending on purpose: expand now, contract later.
        .ignoreMigrationPatterns("*:pending")
        .load();
  }
}
