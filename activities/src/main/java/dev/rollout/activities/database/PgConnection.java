package dev.rollout.activities.database;

import dev.rollout.activities.support.Failures;
import dev.rollout.activities.support.Secrets;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.net.URISyntaxException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.postgresql.Driver;

/**
 * A database's connection, resolved from the secrets the plan names. Hands the PostgreSQL tools a
 * libpq URI and the password through the environment, never on the command line. Every message it
 * builds from a driver's or a tool's error goes through {@link #redact}: a URL may carry a
 * password, and messages end up in workflow history.
 */
record PgConnection(String name, Secrets.Credentials credentials) {

  /** SQL states retrying cannot fix: bad password, no such role or database, no permission. */
  private static final Set<String> PERMANENT = Set.of("28P01", "28000", "3D000", "42501");

  /**
   * How long a migration's statement or a restore waits for locks other sessions hold. A
   * statement queued for a table's exclusive lock behind a long transaction queues every query
   * of the application on that table behind it (the application stops), and waiting with no limit
   * outlived the activity: its statement, still queued, could run after the rollout had moved on.
   */
  static final Duration LOCK_WAIT = Duration.ofSeconds(30);

  /** lock_timeout ran out: the statement was cancelled, its transaction rolled back. */
  static final String LOCK_NOT_AVAILABLE = "55P03";

  private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&\\s'\"]*");

  static final String UNREACHABLE = "DatabaseUnreachable";

  /**
   * Resolves and checks the URL without ever quoting it: a malformed URL may hold a password.
   * A user and a password given in the URL ({@code ?user=&password=}) are used by the tools too.
   */
  static PgConnection resolve(String name, Secrets secrets) {
    Secrets.Credentials credentials = secrets.credentials(name);
    String url = credentials.url();
    if (!url.startsWith("jdbc:postgresql://")) {
      throw Failures.badInput(name + "_URL must be a jdbc:postgresql:// URL");
    }
    Properties parsed = Driver.parseURL(url, null);
    if (parsed == null || parsed.getProperty("PGDBNAME", "").isBlank()) {
      throw Failures.badInput(name + "_URL is not a valid PostgreSQL JDBC URL with a database name"
          + " (jdbc:postgresql://host:5432/database; the value is not shown, it may hold a password)");
    }
    try {
      new URI(url.substring("jdbc:".length()));
    } catch (URISyntaxException e) {
      throw Failures.badInput(name + "_URL is not a valid URI (the value is not shown, it may hold a password)");
    }
    String password = credentials.password().isEmpty() ? parsed.getProperty("password", "") : credentials.password();
    // The tools get neither from the URL (only host, port, database): a user named there
    // (?user=) must reach them too, or pg_dump connected as the worker's OS user.
    String user = credentials.user() != null ? credentials.user() : parsed.getProperty("user");
    return new PgConnection(name, new Secrets.Credentials(url, user, password));
  }

  /** The same server and role, another database on it (the scratch database a backup is checked in). */
  PgConnection withDatabase(String database) {
    URI jdbc = URI.create(credentials.url().substring("jdbc:".length()));
    String url = "jdbc:postgresql://" + jdbc.getRawAuthority() + "/" + database
        + (jdbc.getRawQuery() == null ? "" : "?" + jdbc.getRawQuery());
    return new PgConnection(name, new Secrets.Credentials(url, credentials.user(), credentials.password()));
  }

  /** The server's name of the database the URL names. */
  String databaseName() {
    return Driver.parseURL(credentials.url(), null).getProperty("PGDBNAME");
  }

  Connection open() throws SQLException {
    Properties props = new Properties();
    if (credentials.user() != null) props.setProperty("user", credentials.user());
    if (!credentials.password().isEmpty()) props.setProperty("password", credentials.password());
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

  /** The message with the URL and the password taken out. */
  String redact(String message) {
    if (message == null) return "";
    String text = message.replace(credentials.url(), "<" + name + "_URL>");
    String withoutJdbc = credentials.url().substring("jdbc:".length());
    text = text.replace(withoutJdbc, "<" + name + "_URL>");
    if (credentials.password().length() >= 3) text = text.replace(credentials.password(), "***");
    return PASSWORD_PARAMETER.matcher(text).replaceAll("$1***");
  }

  /** A non-retryable failure for a permanent SQL state, else a retryable one; never with the cause attached. */
  RuntimeException classify(String database, Throwable error) {
    if (error instanceof ApplicationFailure failure) return failure;
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null && PERMANENT.contains(sql.getSQLState())) {
        return Failures.nonRetryable(
            "DatabaseRefused", "database '" + database + "' refused the connection: " + redact(sql.getMessage()), null);
      }
    }
    return ApplicationFailure.newFailure(
        "database '" + database + "' is not reachable: " + redact(error.getMessage()), UNREACHABLE);
  }

  /**
   * A migration that failed: retryable when the connection broke (SQL state class 08, or no SQL
   * state at all); otherwise the SQL itself failed, which a retry would repeat, so non-retryable.
   * PostgreSQL runs each migration in a transaction, so the failed one changed nothing; those of
   * the step before it stay committed. Only a failure known to leave none of the step's
   * migrations has a type that says it changed nothing ({@code MigrationFailed}, {@code
   * DatabaseRefused}): the workflow then drops the step's undo.
   */
  RuntimeException migrationFailure(
      String database, Throwable error, Duration lockWait, Supplier<FlywayMigrations.Stopped> whereItStopped) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        if (PERMANENT.contains(sql.getSQLState())) {
          FlywayMigrations.Stopped stopped = stopped(whereItStopped);
          if (stopped != null && stopped.appliedByStep() == 0) return classify(database, error);
        }
        if (LOCK_NOT_AVAILABLE.equals(sql.getSQLState())) {
          return ApplicationFailure.newFailure("a migration of '" + database + "' waited " + lockWait.toSeconds()
              + " s for locks other sessions hold and was rolled back (" + where(whereItStopped) + "; "
              + transactionsOpen() + "); it is retried: let them finish or end them (pg_terminate_backend)",
              "MigrationBlockedByLocks");
        }
        if (PERMANENT.contains(sql.getSQLState()) || !sql.getSQLState().startsWith("08")) {
          FlywayMigrations.Stopped stopped = stopped(whereItStopped);
          // Only a step known to keep none of its migrations changed nothing: its undo is dropped.
          boolean nothing = stopped != null && stopped.appliedByStep() == 0;
          return Failures.nonRetryable(
              nothing ? "MigrationFailed" : "MigrationFailedPartly",
              "a migration of '" + database + "' failed and was rolled back ("
                  + (stopped == null ? "its version now could not be read" : stopped.describe())
                  + (nothing ? ": nothing of this step stays" : "; the migrations before it stay applied") + "): "
                  + redact(error.getMessage()),
              null);
        }
      }
    }
    return classify(database, error);
  }

  /**
   * The sessions with a transaction open in the database (those whose locks a restore waits for):
   * pid, application, role, state and for how long. Never their queries, which may hold data.
   */
  String transactionsOpen() {
    List<String> sessions = new ArrayList<>();
    try (Connection c = open();
        ResultSet rs = c.createStatement().executeQuery("""
            select pid, coalesce(nullif(application_name, ''), '?'), usename, state,
                   extract(epoch from now() - xact_start)::bigint
              from pg_stat_activity
             where datname = current_database() and pid <> pg_backend_pid() and xact_start is not null
             order by xact_start limit 5""")) {
      while (rs.next()) {
        sessions.add("pid " + rs.getInt(1) + " '" + rs.getString(2) + "' as " + rs.getString(3) + ", " + rs.getString(4)
            + " for " + rs.getLong(5) + " s");
      }
    } catch (SQLException e) {
      return "they could not be listed: " + redact(e.getMessage());
    }
    return sessions.isEmpty() ? "none is open any more" : "transactions open: " + String.join("; ", sessions);
  }

  /** Best effort: the database may be unreachable by now (null). */
  private static FlywayMigrations.Stopped stopped(Supplier<FlywayMigrations.Stopped> whereItStopped) {
    try {
      return whereItStopped.get();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String where(Supplier<FlywayMigrations.Stopped> whereItStopped) {
    FlywayMigrations.Stopped stopped = stopped(whereItStopped);
    return stopped == null ? "its version now could not be read" : stopped.describe();
  }

  /**
   * Anything else that went wrong in {@code what}: an ApplicationFailure passes unchanged, anything
   * else becomes a retryable failure with a redacted message and no cause (a cause's message and
   * stack would go to history unredacted).
   */
  RuntimeException failure(String database, String what, Exception e) {
    if (e instanceof ApplicationFailure failure) return failure;
    if (e instanceof ActivityCompletionException cancelledOrTimedOut) return cancelledOrTimedOut;
    if (e instanceof InterruptedException) Thread.currentThread().interrupt();
    if (e instanceof SQLException) return classify(database, e);
    return ApplicationFailure.newFailure(what + ": " + redact(e.getMessage()), e.getClass().getSimpleName());
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

  @Override
  public String toString() {
    return "PgConnection[" + name + "]";
  }
}
