package dev.rollout.workflow;

import dev.rollout.activities.DatabaseActivities;
import dev.rollout.activities.DatabaseActivities.BackupRecord;
import io.temporal.failure.ActivityFailure;
import java.util.List;

/** The end of a run that took backups: it can no longer roll back to them, so retention may prune them. */
final class BackupRelease {
  private BackupRelease() {}

  /** One release activity per backup, in order; a failure is logged, never fails the run. */
  static void releaseAll(String rolloutId, List<BackupRecord> backups, StatusBoard status) {
    for (BackupRecord backup : backups) {
      try {
        ActivityStubs.undo(DatabaseActivities.class, "release backup " + backup.location())
            .releaseBackup(rolloutId, backup);
      } catch (ActivityFailure e) {
        status.log("system", "could not release backup " + backup.location(), Failures.rootMessage(e));
      }
    }
  }
}
