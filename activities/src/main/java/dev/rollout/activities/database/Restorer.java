package dev.rollout.activities.database;

import dev.rollout.activities.support.Processes;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts a database back exactly as a backup has it, in one transaction. {@code pg_restore --clean}
 * alone only drops the objects the archive knows, so a table a migration created would survive and
 * break the next migrate; so the user schemas are dropped first, and pg_restore's script (with
 * {@code --clean --if-exists}) runs after that in the same psql {@code --single-transaction} with
 * {@code ON_ERROR_STOP}: either the database is the backup, or it is untouched.
 */
final class Restorer {

  static final String BLOCKED = "RestoreBlockedByLocks";

  private final DatabaseSettings settings;
  private final Duration lockWait;

  Restorer(DatabaseSettings settings, Duration lockWait) {
    this.settings = settings;
    this.lockWait = lockWait;
  }

  void restore(PgConnection connection, String database, Path backup) throws IOException, InterruptedException {
    Path script = Files.createTempFile(backup.getParent(), "restore-", ".sql");
    Path prelude = Files.createTempFile(backup.getParent(), "restore-prelude-", ".sql");
    try {
      // The prelude's DROP SCHEMA takes every lock the restore needs; pg_restore's script resets
      // lock_timeout to 0 only after that.
      Files.writeString(prelude, "SET LOCAL lock_timeout = '" + lockWait.toMillis() + "ms';\n" + dropUserSchemas(connection, database));
      run("pg_restore", List.of(settings.tool("pg_restore"), "--clean", "--if-exists", "-f", script.toString(), backup.toString()), connection);
      Processes.Result psql = Processes.run(
          List.of(
              settings.tool("psql"), "--no-psqlrc", "--quiet", "--no-password", "--single-transaction",
              "-v", "ON_ERROR_STOP=1", "-v", "VERBOSITY=verbose", "-f", prelude.toString(), "-f", script.toString(),
              "--dbname=" + connection.libpqUri()),
          connection.toolEnvironment(), settings.toolTimeout());
      if (!psql.ok() && psql.stderr().contains("55P03")) {
        throw ApplicationFailure.newFailure("restore of '" + database + "' changed nothing: it waited " + lockWait.toSeconds()
            + " s for locks other sessions hold on its tables (" + connection.transactionsOpen() + "). Let them"
            + " finish or end them (pg_terminate_backend), then retry", BLOCKED);
      }
      failIfNot(psql, "psql", connection);
    } finally {
      Files.deleteIfExists(script);
      Files.deleteIfExists(prelude);
    }
  }

  private void run(String tool, List<String> command, PgConnection connection) throws IOException, InterruptedException {
    failIfNot(Processes.run(command, connection.toolEnvironment(), settings.toolTimeout()), tool, connection);
  }

  private static void failIfNot(Processes.Result result, String tool, PgConnection connection) {
    if (!result.ok()) {
      throw ApplicationFailure.newFailure(
          tool + " failed (nothing was changed): " + connection.redact(result.stderr().strip()), "RestoreFailed");
    }
  }

  private static String dropUserSchemas(PgConnection connection, String database) {
    List<String> schemas = new ArrayList<>();
    int serverVersion;
    try (Connection c = connection.open()) {
      try (ResultSet rs = c.createStatement().executeQuery(
          "select nspname from pg_namespace where nspname not like 'pg\\_%' and nspname <> 'information_schema'")) {
        while (rs.next()) schemas.add(rs.getString(1));
      }
      try (ResultSet rs = c.createStatement().executeQuery("select current_setting('server_version_num')::int")) {
        rs.next();
        serverVersion = rs.getInt(1);
      }
    } catch (SQLException e) {
      throw connection.classify(database, e);
    }
    StringBuilder sql = new StringBuilder();
    for (String schema : schemas) {
      sql.append("DROP SCHEMA IF EXISTS \"").append(schema.replace("\"", "\"\"")).append("\" CASCADE;\n");
    }
    return sql.append(publicSchemaAsInitdbMadeIt(serverVersion)).toString();
  }

  private static final String COMMENT = "COMMENT ON SCHEMA public IS 'standard public schema';\n";

  /**
   * pg_dump leaves the default public schema out of the archive and dumps only how its owner and
   * privileges differ from what initdb gave it; so it is recreated here exactly as initdb makes
   * it. A plain {@code CREATE SCHEMA public} made it the restoring role's with no privilege for
   * anyone else: every other role (the application's) lost USAGE and no longer saw its tables.
   */
  static String publicSchemaAsInitdbMadeIt(int serverVersion) {
    return serverVersion >= 150000
        ? "CREATE SCHEMA public AUTHORIZATION pg_database_owner;\nGRANT USAGE ON SCHEMA public TO PUBLIC;\n" + COMMENT
        : "CREATE SCHEMA public;\nGRANT ALL ON SCHEMA public TO PUBLIC;\n" + COMMENT;
  }
}
