package dev.rollout.activities;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rollout.plan.Database;
import dev.rollout.plan.MigrationPhase;
import io.temporal.activity.ActivityInterface;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

@ActivityInterface
public interface DatabaseActivities {

  /**
   * Backs up a database into a file of this workflow run and step (so a retry within the run finds
   * and re-verifies the same file, and another run never reuses it), verifies it — restoring it into
   * a scratch database when the database is small enough — and pins it until
   * {@link #releaseBackup} is called. Non-retryable failure for an unknown database or bad credentials.
   */
  BackupRecord backup(String rolloutId, String stepKey, String database, Database spec);

  /**
   * The failure types of {@link #migrate} that mean it changed nothing: refused before anything
   * ran (bad input, refused connection, migrations that do not validate or would only baseline), or
   * failed and rolled back with no migration of the step applied ({@code MigrationFailed}; one that
   * failed after some of its migrations committed is {@code MigrationFailedPartly}).
   */
  java.util.Set<String> MIGRATION_CHANGED_NOTHING = java.util.Set.of(
      "MigrationFailed", "MigrationInvalid", "MigrationWouldOnlyBaseline", "DatabaseRefused", "BadInput");

  /**
   * Migrates the database to {@code targetVersion}: what it was at, what it is at now, and how many
   * migrations ran ({@code changed()} is false when it was already at the target). A failure whose
   * type is in {@link #MIGRATION_CHANGED_NOTHING} left the database as it was.
   */
  MigrationResult migrate(
      String rolloutId,
      String database,
      Database spec,
      MigrationPhase phase,
      String targetVersion);

  /** Restores a verified backup: the compensation of a migration. Idempotent. */
  void restore(String rolloutId, String database, Database spec, BackupRecord backup);

  /**
   * Unpins a backup: the rollout that took it can no longer roll back to it (it ended), so
   * retention may prune it. Idempotent; a missing backup is not an error.
   */
  void releaseBackup(String rolloutId, BackupRecord backup);

  /**
   * A verified backup.
   *
   * @param location the file
   * @param sizeBytes the file's size
   * @param sha256 the file's SHA-256, checked again before a restore
   * @param createdAt when the dump began: every write after it is lost by a restore
   *     (null in histories recorded before this field existed)
   * @param databaseBytes {@code pg_database_size} when backed up (0: unknown)
   * @param rowCounts rows per table ({@code schema.table}) in the dump, checked by restoring it into a
   *     scratch database; null when the database was over the size limit and only its archive was listed
   * @param restoreCheck how long the scratch restore and count took; null when it did not run
   */
  record BackupRecord(
      String database,
      String location,
      long sizeBytes,
      String sha256,
      Instant createdAt,
      long databaseBytes,
      Map<String, Long> rowCounts,
      Duration restoreCheck) {

    public BackupRecord(String database, String location, long sizeBytes, String sha256) {
      this(database, location, sizeBytes, sha256, null, 0, null, null);
    }

    /** Whether a restore into a scratch database proved the dump restores, with matching row counts. */
    public boolean restoreVerified() {
      return rowCounts != null;
    }

    /** How old the backup is at {@code now} (workflow time in a workflow); null when not recorded. */
    public Duration ageAt(Instant now) {
      return createdAt == null ? null : Duration.between(createdAt, now);
    }

    /** What a restore loses: "writes since 2026-12-01T14:02:00Z", or the unknown if not recorded. */
    public String lossSummary() {
      return createdAt == null ? "writes since the backup (time not recorded)" : "writes since " + createdAt;
    }
  }

  /**
   * What a migration did.
   *
   * @param fromVersion the version before (null: the database had no Flyway history)
   * @param toVersion the version after
   * @param applied how many migrations ran; -1 when unknown (results recorded before this record
   *     existed were the previous version only)
   */
  record MigrationResult(String fromVersion, String toVersion, int applied) {

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public MigrationResult(
        @JsonProperty("fromVersion") String fromVersion,
        @JsonProperty("toVersion") String toVersion,
        @JsonProperty("applied") int applied) {
      this.fromVersion = fromVersion;
      this.toVersion = toVersion;
      this.applied = applied;
    }

    /**
     * A result recorded in an older history was the previous version as a bare string; read it as
     * "changed, unknown how much" so a replay takes the path it took then.
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static MigrationResult ofPreviousVersion(String fromVersion) {
      return new MigrationResult(fromVersion, null, -1);
    }

    /** False only when the database was known to be at the target already: nothing to undo. */
    public boolean changed() {
      return applied != 0;
    }
  }
}
