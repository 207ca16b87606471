package dev.rollout.activities.database;

import dev.rollout.activities.support.Failures;
import dev.rollout.activities.support.Secrets;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * A database's connection, resolved from the secrets the plan names. Hands the PostgreSQL tools a
 * libpq URI and the password through the environment, never on the command line.
 */
record PgConnection(String name, Secrets.Credentials credentials) {

  /** SQL states retrying cannot fix: bad password, no such role or database, no permission. */
  private static final Set<String> PERMANENT = Set.of("28P01", "28000", "3D000", "42501");

  static final String UNREACHABLE = "DatabaseUnreachable";

  static PgConnection resolve(String name, Secrets secrets) {
    Secrets.Credentials credentials = secrets.credentials(name);
    if (!credentials.url().startsWith("jdbc:postgresql://")) {
      throw Failures.badInput(name + "_URL must be a jdbc:postgresql:// URL");
    }
    return new PgConnection(name, credentials);
  }

  Connection open() throws SQLException {
    Properties props = new Properties();
    if (credentials.user() != null) props.setProperty("user", credentials.user());
    props.setProperty("password", credentials.password());
    props.setProperty("connectTimeout", "10");
    return DriverManager.getConnection(credentials.url(), props);
  }

  /** Connects once, so bad credentials or an unknown database fail clearly before any tool runs. */
  void check(String database) {
    try (Connection ignored = open()) {
      // reachable and allowed
    } catch (SQLException e) {
      throw classify(database, e);
    }
  }

  /** A non-retryable failure for a permanent SQL state, else a retryable one. */
  static RuntimeException classify(String database, Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null && PERMANENT.contains(sql.getSQLState())) {
        return Failures.nonRetryable(
            "DatabaseRefused", "database '" + database + "' refused the connection: " + sql.getMessage(), null);
      }
    }
    return ApplicationFailure.newFailure(
        "database '" + database + "' is not reachable: " + error.getMessage(), UNREACHABLE);
  }

  /**
   * A migration that failed: retryable when the connection broke (SQL state class 08, or no SQL
   * state at all); otherwise the SQL itself failed, which a retry would repeat, so non-retryable.
   * PostgreSQL runs each migration in a transaction, so a failed one changed nothing.
   */
  static RuntimeException migrationFailure(String database, Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        if (PERMANENT.contains(sql.getSQLState())) return classify(database, error);
        if (!sql.getSQLState().startsWith("08")) {
          return Failures.nonRetryable(
              "MigrationFailed", "a migration of '" + database + "' failed (rolled back): " + error.getMessage(), null);
        }
      }
    }
    return classify(database, error);
  }

  /** {@code postgresql://host:port/db} for pg_dump/pg_restore/psql; JDBC-only parameters dropped. */
  String libpqUri() {
    URI jdbc = URI.create(credentials.url().substring("jdbc:".length()));
    String query = jdbc.getQuery() == null ? "" : jdbc.getQuery();
    String sslmode =
        java.util.Arrays.stream(query.split("&")).filter(p -> p.startsWith("sslmode=")).findFirst().orElse(null);
    String base = "postgresql://" + jdbc.getRawAuthority() + jdbc.getRawPath();
    return sslmode == null ? base : base + "?" + sslmode;
  }

  Map<String, String> toolEnvironment() {
    return credentials.user() == null
        ? Map.of("PGPASSWORD", credentials.password(), "PGCONNECT_TIMEOUT", "10")
        : Map.of("PGPASSWORD", credentials.password(), "PGUSER", credentials.user(), "PGCONNECT_TIMEOUT", "10");
  }
}
