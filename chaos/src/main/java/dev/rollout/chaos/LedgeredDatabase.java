package dev.rollout.chaos;

import dev.rollout.activities.DatabaseActivities;
import dev.rollout.plan.Database;
import dev.rollout.plan.MigrationPhase;

/** The real database activities; every backup, migration and restore is written to the ledger once done. */
final class LedgeredDatabase implements DatabaseActivities {

  private final DatabaseActivities real;
  private final Ledger ledger;

  LedgeredDatabase(DatabaseActivities real, Ledger ledger) {
    this.real = real;
    this.ledger = ledger;
  }

  @Override
  public BackupRecord backup(String rolloutId, String stepKey, String database, Database spec) {
    BackupRecord record = real.backup(rolloutId, stepKey, database, spec);
    ledger.record(rolloutId, "database " + database, "backup", database);
    return record;
  }

  @Override
  public MigrationResult migrate(String rolloutId, String database, Database spec, MigrationPhase phase, String targetVersion) {
    MigrationResult result = real.migrate(rolloutId, database, spec, phase, targetVersion);
    ledger.record(rolloutId, "database " + database, "migrate", String.valueOf(targetVersion));
    return result;
  }

  @Override
  public void restore(String rolloutId, String database, Database spec, BackupRecord backup) {
    real.restore(rolloutId, database, spec, backup);
    ledger.record(rolloutId, "database " + database, "restore", "backup");
  }

  /** Not a change to the target: the backup file is only handed over to retention. */
  @Override
  public void releaseBackup(String rolloutId, BackupRecord backup) {
    real.releaseBackup(rolloutId, backup);
  }
}
