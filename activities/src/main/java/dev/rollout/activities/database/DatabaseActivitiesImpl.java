package dev.rollout.activities.database;

import dev.rollout.activities.DatabaseActivities;
import dev.rollout.activities.support.Failures;
import dev.rollout.activities.support.Heartbeat;
import dev.rollout.activities.support.Processes;
import dev.rollout.activities.support.Secrets;
import dev.rollout.plan.Database;
import dev.rollout.plan.MigrationPhase;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** PostgreSQL: verified pg_dump backups, Flyway migrations, and restore as their compensation. */
public class DatabaseActivitiesImpl implements DatabaseActivities {

  private static final Logger log = LoggerFactory.getLogger(DatabaseActivitiesImpl.class);

  private final DatabaseSettings settings;
  private final Secrets secrets;
  private final Supplier<String> runId;
  private final Backups backups;
  private final RestoreCheck restoreCheck;
  private final FlywayMigrations migrations;
  private final Restorer restorer;

  /** In a worker: a backup belongs to the workflow run that called it. */
  public DatabaseActivitiesImpl(DatabaseSettings settings, Secrets secrets) {
    this(settings, secrets, DatabaseActivitiesImpl::callingRunId);
  }

  /**
   * @param runId the id of the workflow run calling: recorded in history, so the same for every
   *     retry of one run and different for every other run, including a reset or a re-run of the
   *     same rollout id
   */
  public DatabaseActivitiesImpl(DatabaseSettings settings, Secrets secrets, Supplier<String> runId) {
    this(settings, secrets, runId, PgConnection.LOCK_WAIT);
  }

  /** @param lockWait how long a migration or a restore waits for other sessions' locks (tests shorten it) */
  DatabaseActivitiesImpl(DatabaseSettings settings, Secrets secrets, Supplier<String> runId, Duration lockWait) {
    this.settings = settings;
    this.secrets = secrets;
    this.runId = runId;
    this.backups = new Backups(settings);
    this.restoreCheck = new RestoreCheck(settings);
    this.restorer = new Restorer(settings, lockWait);
    this.migrations = new FlywayMigrations(lockWait);
  }

  private static String callingRunId() {
    return Activity.getExecutionContext().getInfo().getRunId();
  }

  @Override
  public BackupRecord backup(String rolloutId, String stepKey, String database, Database spec) {
    String run = runId.get();
    Path file = backups.fileFor(rolloutId, run, stepKey, database);
    PgConnection connection = PgConnection.resolve(spec.connection(), secrets);
    Path partial = null;
    try {
      connection.check(database);
      if (Files.exists(file)) {
        // A retry within this run after its file was moved into place: check that file again
        // (against the counts of its own snapshot), never dump twice.
        log.info("backup of {} for {} run {} already exists at {}; re-verifying", database, rolloutId, run, file);
        backups.pinFor(file, rolloutId, run);
        return verify(connection, database, file, file, backups.readMeta(file));
      }
      backups.prepare(file);
      backups.pinFor(file, rolloutId, run);
      backups.sweepPartials(file, settings.toolTimeout(), Instant.now());
      partial = Backups.partial(file);
      Backups.Meta meta;
      try (SourceSnapshot snapshot = SourceSnapshot.take(connection)) {
        Processes.Result dump = Processes.run(
            List.of(settings.tool("pg_dump"), "-Fc", "--no-password", "--snapshot=" + snapshot.snapshotId,
                "-f", partial.toString(), "--dbname=" + connection.libpqUri()),
            connection.toolEnvironment(),
            settings.toolTimeout());
        if (!dump.ok()) {
          Files.deleteIfExists(partial);
          throw ApplicationFailure.newFailure(
              "pg_dump of '" + database + "' failed: " + connection.redact(dump.stderr().strip()), "BackupFailed");
        }
        Backups.ownerOnlyFile(partial);
        // Counted only when they will be compared: count(*) over a database too big to restore
        // into a scratch copy would take about as long as that restore.
        boolean restoreCheck = snapshot.databaseBytes <= settings.verifyRestoreMaxBytes();
        meta = new Backups.Meta(rolloutId, run, stepKey, database, snapshot.takenAt, snapshot.databaseBytes,
            restoreCheck ? snapshot.rowCounts(Heartbeat.current()) : null, snapshot.databaseName);
      }
      BackupRecord record = verify(connection, database, partial, file, meta);
      if (!backups.place(partial, file, meta)) {
        // An attempt running beside this one (a retry beside a killed worker's) placed its dump
        // first: that one is the backup; check it as a retry would.
        log.info("backup of {} for {} run {} was placed by another attempt at {}; re-verifying", database, rolloutId, run, file);
        return verify(connection, database, file, file, backups.readMeta(file));
      }
      prune(rolloutId, database);
      return record;
    } catch (Exception e) {
      forgetUnfinished(file, partial);
      throw connection.failure(database, "backup of '" + database + "'", e);
    }
  }

  /**
   * A backup that never got into place leaves no partial dump of this attempt and no pin behind (a
   * retry pins again; an attempt still running beside this one pins again as it places its dump).
   */
  private static void forgetUnfinished(Path file, Path partial) {
    try {
      if (partial != null) Files.deleteIfExists(partial);
      if (Files.exists(file)) return;
      Files.deleteIfExists(Backups.pin(file));
    } catch (Exception cleanup) {
      log.warn("could not clean up the unfinished backup {}: {}", file, cleanup.toString());
    }
  }

  /**
   * The archive is readable and, for a database up to the configured size, restores into a scratch
   * database with the row counts its snapshot had.
   */
  private BackupRecord verify(PgConnection connection, String database, Path archive, Path file, Backups.Meta meta)
      throws Exception {
    String sha = backups.checkArchive(archive);
    long size = Files.size(archive);
    Map<String, Long> counts = null;
    Duration took = null;
    if (meta.rowCounts() != null && meta.databaseBytes() <= settings.verifyRestoreMaxBytes()) {
      RestoreCheck.Outcome outcome = restoreCheck.check(connection, database, archive, file, meta.rowCounts());
      counts = outcome.rowCounts();
      took = outcome.took();
      log.info("backup of {} verified by a scratch restore in {} ms: {} table(s), {} row(s), database {} bytes, archive"
              + " {} bytes, sha256 {}", database, took.toMillis(), counts.size(),
          counts.values().stream().mapToLong(Long::longValue).sum(), meta.databaseBytes(), size, sha);
    } else {
      log.warn("backup of {} verified by pg_restore --list only: the database ({} bytes) is over"
          + " verify-restore-max-bytes ({})", database, meta.databaseBytes(), settings.verifyRestoreMaxBytes());
    }
    return new BackupRecord(database, file.toString(), size, sha, meta.createdAt(), meta.databaseBytes(), counts, took);
  }

  private void prune(String rolloutId, String database) {
    try {
      backups.prune(rolloutId, database, Instant.now());
    } catch (Exception e) {
      log.warn("pruning old backups of {}/{} failed (they are kept): {}", rolloutId, database, e.toString());
    }
  }

  @Override
  public void releaseBackup(String rolloutId, BackupRecord backup) {
    if (backup == null || backup.location() == null) throw Failures.badInput("release: no backup given");
    try {
      boolean was = backups.release(Path.of(backup.location()));
      log.info("{}: released backup {} of {}{}", rolloutId, backup.location(), backup.database(),
          was ? "" : " (it was not pinned)");
      prune(rolloutId, backup.database());
    } catch (Exception e) {
      throw Failures.retryable("release of backup " + backup.location(), e);
    }
  }

  @Override
  public MigrationResult migrate(
      String rolloutId, String database, Database spec, MigrationPhase phase, String targetVersion) {
    PgConnection connection = PgConnection.resolve(spec.connection(), secrets);
    connection.check(database);
    try {
      MigrationResult result = migrations.migrate(connection, database, spec, phase, targetVersion, runId.get());
      log.info("{}: migrated {} ({}) from {} to {}: {} migration(s) applied",
          rolloutId, database, phase, result.fromVersion(), result.toVersion(), result.applied());
      return result;
    } catch (FlywayException e) {
      throw connection.classify(database, e);
    } catch (RuntimeException e) {
      throw connection.failure(database, "migration of '" + database + "'", e);
    }
  }

  /**
   * A restore drops every user schema of the database it connects to: a dump of another database
   * (another plan database's backup, or the connection's URL changed since the backup) would
   * replace that database with the wrong one.
   */
  private void refuseAnotherDatabase(PgConnection connection, String database, Path file, BackupRecord backup)
      throws java.io.IOException {
    if (backup.database() != null && !backup.database().equals(database)) {
      throw Failures.nonRetryable(Backups.OTHER_DATABASE, "backup " + file + " is of database '" + backup.database()
          + "', not of '" + database + "': refusing to restore it there", null);
    }
    Backups.Meta meta = backups.readMetaIfPresent(file);
    String now = connection.databaseName();
    if (meta != null && meta.dumpedFrom() != null && !meta.dumpedFrom().equals(now)) {
      throw Failures.nonRetryable(Backups.OTHER_DATABASE, "backup " + file + " of '" + database + "' was dumped from the"
          + " server's database '" + meta.dumpedFrom() + "', but " + connection.name() + "_URL now names '" + now
          + "': refusing to replace that database with it (point " + connection.name() + "_URL back, or restore by hand)",
          null);
    }
  }

  @Override
  public void restore(String rolloutId, String database, Database spec, BackupRecord backup) {
    if (backup == null || backup.location() == null) throw Failures.badInput("restore of '" + database + "': no backup given");
    Path file = Path.of(backup.location());
    PgConnection connection = PgConnection.resolve(spec.connection(), secrets);
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
      refuseAnotherDatabase(connection, database, file, backup);
      connection.check(database);
      log.warn("{}: restoring {} from {}: {} are lost", rolloutId, database, file, backup.lossSummary());
      restorer.restore(connection, database, file);
      log.info("{}: restored {} from {}", rolloutId, database, file);
    } catch (Exception e) {
      throw connection.failure(database, "restore of '" + database + "'", e);
    }
  }
}
