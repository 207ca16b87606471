package dev.rollout.rehearsal;

import dev.rollout.activities.DatabaseActivities;
import dev.rollout.plan.Database;
import dev.rollout.plan.MigrationPhase;
import io.temporal.activity.Activity;
import java.time.Instant;

/** Keeps each database's schema version (v0 at first) and which version each backup holds. */
public final class RecordingDatabase implements DatabaseActivities {
  private final RehearsalWorld world;

  public RecordingDatabase(RehearsalWorld world) {
    this.world = world;
  }

  @Override
  public BackupRecord backup(String rolloutId, String stepKey, String database, Database spec) {
    world.record("database", "backup", database, database + " " + stepKey);
    Instant at = Instant.ofEpochMilli(Activity.getExecutionContext().getInfo().getCurrentAttemptScheduledTimestamp());
    return world.backupOf(database, "rehearsal://" + rolloutId + "/" + database + "-" + stepKey, at);
  }

  @Override
  public MigrationResult migrate(
      String rolloutId, String database, Database spec, MigrationPhase phase, String targetVersion) {
    world.record("database", "migrate", database, database + " " + phase + " " + targetVersion);
    String before = world.dbVersion(database);
    world.dbVersions.put(database, targetVersion);
    return new MigrationResult(before, targetVersion, before.equals(targetVersion) ? 0 : 1);
  }

  @Override
  public void restore(String rolloutId, String database, Database spec, BackupRecord backup) {
    world.record("database", "restore", database, database + " " + backup.location());
    world.dbVersions.put(database, world.backupVersions.getOrDefault(backup.location(), "v0"));
  }

  @Override
  public void releaseBackup(String rolloutId, BackupRecord backup) {
    world.record("database", "releaseBackup", backup.database(), backup.database() + " " + backup.location());
  }
}
