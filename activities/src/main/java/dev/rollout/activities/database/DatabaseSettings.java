package dev.rollout.activities.database;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where backups go and how the PostgreSQL tools are found.
 *
 * @param backupDir backups are written to {@code backupDir/<rollout>/<step>-<database>.dump}
 * @param toolsDir the directory of pg_dump, pg_restore and psql; null uses the PATH
 * @param toolTimeout the longest a dump or restore may run
 */
public record DatabaseSettings(Path backupDir, Path toolsDir, Duration toolTimeout) {

  public DatabaseSettings {
    if (backupDir == null) throw new IllegalArgumentException("backupDir is required");
    toolTimeout = toolTimeout == null ? Duration.ofHours(2) : toolTimeout;
  }

  public DatabaseSettings(Path backupDir) {
    this(backupDir, null, null);
  }

  String tool(String name) {
    return toolsDir == null ? name : toolsDir.resolve(name).toString();
  }
}
