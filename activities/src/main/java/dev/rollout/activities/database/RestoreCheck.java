package dev.rollout.activities.database;

import dev.rollout.activities.support.Failures;
import dev.rollout.activities.support.Heartbeat;
import dev.rollout.activities.support.Processes;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves a dump restores: restores it into a scratch database on the same server, counts the rows
 * of every table, compares them with the counts taken from the dump's own snapshot, and drops the
 * scratch database whatever happened.
 *
 * <p>The scratch database's name is derived from the backup file ({@code rollout_verify_<hash>}):
 * unique per backup, and a retry after a crash drops its own leftover before starting again.
 * Owners and privileges are not restored there ({@code --no-owner --no-acl}): the check is about
 * the data, and the role need not be able to become every owner.
 */
final class RestoreCheck {

  private static final Logger log = LoggerFactory.getLogger(RestoreCheck.class);
  static final String FAILED = "BackupUnverified";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DatabaseSettings settings;

  RestoreCheck(DatabaseSettings settings) {
    this.settings = settings;
  }

  record Outcome(Map<String, Long> rowCounts, Duration took) {}

  static String scratchName(Path backup) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(backup.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
      return "rollout_verify_" + HexFormat.of().formatHex(hash, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * @param archive the dump to restore (still the {@code .partial} file on a first verification)
   * @param backup the backup's final file, which names the scratch database
   */
  Outcome check(PgConnection source, String database, Path archive, Path backup, Map<String, Long> expected)
      throws IOException, InterruptedException {
    Heartbeat heartbeat = Heartbeat.current();
    String scratch = scratchName(backup) + "_" + HexFormat.of().formatHex(ByteBuffer.allocate(4).putInt(RANDOM.nextInt()).array());
    long started = System.nanoTime();
    dropLeftovers(source, database, scratchName(backup));
    admin(source, database, "create database " + scratch + " template template0");
    // Held for the whole check: a scratch database in use is never taken for a leftover.
    try (Connection holder = source.withDatabase(scratch).open()) {
      PgConnection target = source.withDatabase(scratch);
      Processes.Result restore = Processes.run(
          List.of(settings.tool("pg_restore"), "--exit-on-error", "--no-owner", "--no-acl", "--no-password",
              "--dbname=" + target.libpqUri(), archive.toString()),
          target.toolEnvironment(), settings.toolTimeout());
      if (!restore.ok()) {
        throw ApplicationFailure.newFailure("backup " + backup + " of '" + database + "' does not restore into a scratch"
            + " database: " + source.redact(restore.stderr().strip()), FAILED);
      }
      Map<String, Long> counted;
      try (Connection c = target.open()) {
        counted = RowCounts.of(c, heartbeat);
      } catch (SQLException e) {
        throw source.classify(database, e);
      }
      if (!counted.equals(expected)) {
        throw Failures.nonRetryable(Backups.CORRUPT, "backup " + backup + " of '" + database + "' restores with other"
            + " row counts than the database had when dumped: " + differences(expected, counted), null);
      }
      return new Outcome(counted, Duration.ofNanos(System.nanoTime() - started));
    } catch (SQLException e) {
      throw source.classify(database, e);
    } finally {
      try {
        admin(source, database, "drop database if exists " + scratch + " with (force)");
      } catch (RuntimeException e) {
        log.warn("could not drop scratch database {} (drop it by hand): {}", scratch, e.getMessage());
      }
    }
  }

  /**
   * Drops the scratch databases of this backup that nobody uses: left by attempts that crashed.
   * Each check has its own (the backup's name plus a random suffix), so an attempt running beside
   * this one (a retry beside a killed worker's) keeps its own; a plain DROP refuses a database in
   * use, and each check holds a connection to its own.
   */
  private static void dropLeftovers(PgConnection source, String database, String prefix) {
    List<String> names = new ArrayList<>();
    try (Connection c = source.open();
        PreparedStatement s = c.prepareStatement("select datname from pg_database where left(datname, ?) = ?")) {
      s.setInt(1, prefix.length());
      s.setString(2, prefix);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) names.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw source.classify(database, e);
    }
    for (String name : names) {
      try (Connection c = source.open(); Statement s = c.createStatement()) {
        s.execute("drop database if exists " + name);
        log.info("dropped the scratch database {} a crashed backup attempt left behind", name);
      } catch (SQLException inUse) {
        log.info("scratch database {} is in use (another attempt's check): kept", name);
      }
    }
  }

  /** CREATE/DROP DATABASE from a connection to the source database (they cannot run in a transaction). */
  private static void admin(PgConnection source, String database, String sql) {
    try (Connection c = source.open(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      if ("42501".equals(e.getSQLState())) {
        throw Failures.nonRetryable("BackupUnverifiable", "the role of '" + database + "' may not create the scratch"
            + " database a backup is verified in (grant it CREATEDB, or set the worker's"
            + " rollout.worker.backup-verify-restore-max-bytes / ROLLOUT_BACKUP_VERIFY_RESTORE_MAX_BYTES to 0 to"
            + " check backups with pg_restore --list only): " + source.redact(e.getMessage()), null);
      }
      throw source.classify(database, e);
    }
  }

  private static String differences(Map<String, Long> expected, Map<String, Long> counted) {
    StringBuilder out = new StringBuilder();
    TreeSet<String> tables = new TreeSet<>(expected.keySet());
    tables.addAll(counted.keySet());
    for (String table : tables) {
      Long want = expected.get(table);
      Long got = counted.get(table);
      if (want == null ? got != null : !want.equals(got)) {
        if (out.length() > 0) out.append(", ");
        out.append(table).append(' ').append(want == null ? "absent" : want).append(" -> ").append(got == null ? "absent" : got);
      }
    }
    return out.toString();
  }
}
