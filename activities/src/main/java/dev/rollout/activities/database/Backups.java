package dev.rollout.activities.database;

import dev.rollout.activities.DatabaseActivities.BackupRecord;
import dev.rollout.activities.support.Failures;
import dev.rollout.activities.support.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Backup files: where each lives, and whether it is a complete, readable pg_dump archive. */
final class Backups {

  static final String CORRUPT = "BackupCorrupt";

  private final DatabaseSettings settings;

  Backups(DatabaseSettings settings) {
    this.settings = settings;
  }

  /** Same rollout, step and database, same file: a retried backup finds the one it wrote. */
  Path fileFor(String rolloutId, String stepKey, String database) {
    return settings.backupDir().resolve(safe(rolloutId)).resolve(safe(stepKey) + "-" + safe(database) + ".dump");
  }

  /** Checks the archive is non-empty and readable by pg_restore, and returns its record. */
  BackupRecord verify(String database, Path file) throws IOException, InterruptedException {
    long size = Files.size(file);
    if (size == 0) throw Failures.nonRetryable(CORRUPT, "backup " + file + " is empty", null);
    Processes.Result list =
        Processes.run(List.of(settings.tool("pg_restore"), "--list", file.toString()), Map.of(), settings.toolTimeout());
    if (!list.ok()) {
      throw Failures.nonRetryable(
          CORRUPT, "backup " + file + " is not a readable pg_dump archive: " + list.stderr().strip(), null);
    }
    return new BackupRecord(database, file.toString(), size, sha256(file));
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String safe(String part) {
    if (part == null || part.isBlank()) throw Failures.badInput("rollout id, step and database name are required");
    return part.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
