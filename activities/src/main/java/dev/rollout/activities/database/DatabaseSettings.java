package dev.rollout.activities.database;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where backups go, how they are checked and kept, and how the PostgreSQL tools are found.
 *
 * @param backupDir backups are written to {@code backupDir/<rollout>/<database>/<run id>/<step>.dump};
 *     created 0700. The worker's default is durable ({@code ~/.rollout/backups}, or
 *     {@code ROLLOUT_BACKUP_DIR}), never the temp directory: a rollback may need a backup days
 *     later, after a reboot.
 * @param toolsDir the directory of pg_dump, pg_restore and psql; null uses the PATH
 * @param toolTimeout the longest a dump or restore may run
 * @param verifyRestoreMaxBytes a database up to this size ({@code pg_database_size}) is restored
 *     into a scratch database and its row counts compared before a backup counts as verified;
 *     a bigger one is only checked with {@code pg_restore --list} and its SHA-256. 0 turns the
 *     scratch restore off. Default {@link #DEFAULT_VERIFY_RESTORE_MAX_BYTES}.
 * @param retention which unpinned backups are pruned
 */
public record DatabaseSettings(
    Path backupDir, Path toolsDir, Duration toolTimeout, long verifyRestoreMaxBytes, Retention retention) {

  /**
   * 1 GiB. Measured here (docs/activities.md), the scratch restore and row count of a 100 MB
   * database took a median 6.4 s (11 s under twice the load) on a loaded 2-core machine: about one
   * to two minutes for 1 GiB, once, before a migration, which is worth knowing the backup restores. Past that the wait grows and the
   * scratch copy needs as much free space on the database server as the database itself.
   */
  public static final long DEFAULT_VERIFY_RESTORE_MAX_BYTES = 1L << 30;

  public DatabaseSettings {
    if (backupDir == null) throw new IllegalArgumentException("backupDir is required");
    if (verifyRestoreMaxBytes < 0) throw new IllegalArgumentException("verifyRestoreMaxBytes must be >= 0");
    toolTimeout = toolTimeout == null ? Duration.ofHours(2) : toolTimeout;
    retention = retention == null ? Retention.DEFAULT : retention;
  }

  public DatabaseSettings(Path backupDir, Path toolsDir, Duration toolTimeout) {
    this(backupDir, toolsDir, toolTimeout, DEFAULT_VERIFY_RESTORE_MAX_BYTES, null);
  }

  public DatabaseSettings(Path backupDir) {
    this(backupDir, null, null);
  }

  public DatabaseSettings withVerifyRestoreMaxBytes(long bytes) {
    return new DatabaseSettings(backupDir, toolsDir, toolTimeout, bytes, retention);
  }

  public DatabaseSettings withRetention(Retention retention) {
    return new DatabaseSettings(backupDir, toolsDir, toolTimeout, verifyRestoreMaxBytes, retention);
  }

  String tool(String name) {
    return toolsDir == null ? name : toolsDir.resolve(name).toString();
  }

  /**
   * Which backups are pruned (after each backup and each release): one that is NOT pinned (no
   * rollout can still roll back to it), older than {@code keepFor}, and not among the newest
   * {@code keepPerDatabase} of its rollout's database. A pinned backup is never pruned, whatever
   * its age.
   */
  public record Retention(Duration keepFor, int keepPerDatabase) {
    /** A week and the newest three: time to notice a bad release after its rollout ended. */
    public static final Retention DEFAULT = new Retention(Duration.ofDays(7), 3);

    public Retention {
      if (keepFor == null || keepFor.isNegative()) throw new IllegalArgumentException("keepFor must be >= 0");
      if (keepPerDatabase < 0) throw new IllegalArgumentException("keepPerDatabase must be >= 0");
    }
  }
}
