package dev.rollout.activities;

import dev.rollout.plan.Database;
import dev.rollout.plan.MigrationPhase;
import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface DatabaseActivities {

  /**
   * Backs up a database into a file named by rollout and step (so a retry finds the same file) and
   * verifies it before returning. Non-retryable failure for an unknown database or bad credentials.
   */
  BackupRecord backup(String rolloutId, String stepKey, String database, Database spec);

  /** Migrates the database to {@code targetVersion}; returns the version it was at before. */
  String migrate(
      String rolloutId,
      String database,
      Database spec,
      MigrationPhase phase,
      String targetVersion);

  /** Restores a verified backup: the compensation of a migration. Idempotent. */
  void restore(String rolloutId, String database, Database spec, BackupRecord backup);

  /** A verified backup: where it is, how big, its SHA-256. */
  record BackupRecord(String database, String location, long sizeBytes, String sha256) {}
}
