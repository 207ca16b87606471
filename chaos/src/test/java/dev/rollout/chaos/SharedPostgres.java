package dev.rollout.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The shared PostgreSQL that {@code scripts/services.sh up} runs (settings from
 * {@code /tmp/rollout-services/env} or {@code ROLLOUT_*} variables). Tests create databases with
 * unique names on it and drop them; they never stop it.
 */
final class SharedPostgres {

  private static final Map<String, String> SETTINGS = load();

  private SharedPostgres() {}

  static String user() {
    return get("ROLLOUT_PG_USER");
  }

  static String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + get("ROLLOUT_PG_PORT") + "/" + database;
  }

  static Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(url(database), user(), "");
  }

  static void admin(String sql) throws SQLException {
    try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static void execute(String database, String... sql) throws SQLException {
    try (Connection c = connect(database); Statement s = c.createStatement()) {
      for (String statement : sql) s.execute(statement);
    }
  }

  private static String get(String key) {
    String value = SETTINGS.get(key);
    if (value == null) throw new IllegalStateException(key + " is not set: run scripts/services.sh up (settings are read from /tmp/rollout-services/env)");
    return value;
  }

  private static Map<String, String> load() {
    Map<String, String> settings = new HashMap<>();
    Path file = Path.of(System.getenv().getOrDefault("ROLLOUT_SERVICES_DIR", "/tmp/rollout-services"), "env");
    try {
      if (Files.exists(file)) {
        for (String line : Files.readAllLines(file)) {
          int eq = line.indexOf('=');
          if (eq > 0) settings.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    System.getenv().forEach((k, v) -> { if (k.startsWith("ROLLOUT_")) settings.put(k, v); });
    return settings;
  }
}
