package dev.rollout.activities.database;

import dev.rollout.activities.DatabaseActivities;
import dev.rollout.activities.support.Failures;
import dev.rollout.activities.support.Processes;
import dev.rollout.activities.support.Secrets;
import dev.rollout.plan.Database;
import dev.rollout.plan.MigrationPhase;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** PostgreSQL: verified pg_dump backups, Flyway migrations, and restore as their compensation. */
public class DatabaseActivitiesImpl implements DatabaseActivities {

  private static final Logger log = LoggerFactory.getLogger(DatabaseActivitiesImpl.class);

  private final DatabaseSettings settings;
  private final Secrets secrets;
  private final Backups backups;
  private final FlywayMigrations migrations = new FlywayMigrations();
  private final Restorer restorer;

  public DatabaseActivitiesImpl(DatabaseSettings settings, Secrets secrets) {
    this.settings = settings;
    this.secrets = secrets;
    this.backups = new Backups(settings);
    this.restorer = new Restorer(settings);
  }

  @Override
  public BackupRecord backup(String rolloutId, String stepKey, String database, Database spec) {
    Path file = backups.fileFor(rolloutId, stepKey, database);
    try {
      if (Files.exists(file)) {
        // A retry after a crash: the file was only moved here once verified, so check it again
        // and never dump twice (the database may have changed since).
        log.info("backup of {} for {} already exists at {}; re-verifying", database, rolloutId, file);
        return backups.verify(database, file);
      }
      PgConnection connection = PgConnection.resolve(spec.connection(), secrets);
      connection.check(database);
      Files.createDirectories(file.getParent());
      Path partial = file.resolveSibling(file.getFileName() + ".partial");
      Processes.Result dump =
          Processes.run(
              List.of(settings.tool("pg_dump"), "-Fc", "--no-password", "-f", partial.toString(), "--dbname=" + connection.libpqUri()),
              connection.toolEnvironment(),
              settings.toolTimeout());
      if (!dump.ok()) {
        Files.deleteIfExists(partial);
        throw ApplicationFailure.newFailure("pg_dump of '" + database + "' failed: " + dump.stderr().strip(), "BackupFailed");
      }
      BackupRecord record = backups.verify(database, partial);
      Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
      log.info("backed up {} to {} ({} bytes, sha256 {})", database, file, record.sizeBytes(), record.sha256());
      return new BackupRecord(database, file.toString(), record.sizeBytes(), record.sha256());
    } catch (Exception e) {
      throw Failures.retryable("backup of '" + database + "'", e);
    }
  }

  @Override
  public MigrationResult migrate(
      String rolloutId, String database, Database spec, MigrationPhase phase, String targetVersion) {
    PgConnection connection = PgConnection.resolve(spec.connection(), secrets);
    connection.check(database);
    try {
      MigrationResult result = migrations.migrate(connection, database, spec, phase, targetVersion);
      log.info("{}: migrated {} ({}) from {} to {}: {} migration(s) applied",
          rolloutId, database, phase, result.fromVersion(), result.toVersion(), result.applied());
      return result;
    } catch (FlywayException e) {
      throw PgConnection.classify(database, e);
    }
  }

  @Override
  public void releaseBackup(String rolloutId, BackupRecord backup) {
    // Pinning arrives with retention; until then every backup is kept.
  }

  @Override
  public void restore(String rolloutId, String database, Database spec, BackupRecord backup) {
    if (backup == null || backup.location() == null) throw Failures.badInput("restore of '" + database + "': no backup given");
    Path file = Path.of(backup.location());
    try {
      // Refuse a backup that is gone or differs from the one verified: restoring it could lose data.
      if (!Files.exists(file)) {
        throw Failures.nonRetryable(Backups.CORRUPT, "backup " + file + " of '" + database + "' is missing", null);
      }
      String sha = Backups.sha256(file);
      if (!sha.equals(backup.sha256())) {
        throw Failures.nonRetryable(
            Backups.CORRUPT, "backup " + file + " changed since it was verified (sha256 " + sha + ")", null);
      }
      PgConnection connection = PgConnection.resolve(spec.connection(), secrets);
      connection.check(database);
      restorer.restore(connection, database, file);
      log.info("{}: restored {} from {}", rolloutId, database, file);
    } catch (Exception e) {
      throw Failures.retryable("restore of '" + database + "'", e);
    }
  }
}
