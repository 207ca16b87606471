package dev.rollout.activities.integration;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The real services {@code scripts/services.sh up} runs, read from its env file (or the same
 * variables in the environment). A service that is not there fails the test, loudly.
 */
public final class Services {

  private static final Map<String, String> SETTINGS = load();

  private Services() {}

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
      throw new IllegalStateException("cannot read " + file, e);
    }
    System.getenv().forEach((k, v) -> { if (k.startsWith("ROLLOUT_")) settings.put(k, v); });
    return settings;
  }

  public static String get(String key) {
    String value = SETTINGS.get(key);
    if (value == null) fail(key + " is not set: run scripts/services.sh up (settings are read from /tmp/rollout-services/env)");
    return value;
  }

  public static int port(String key) {
    return Integer.parseInt(get(key));
  }

  /** Fails the test unless something answers on the port. */
  public static void requireListening(String what, String portKey) {
    int port = port(portKey);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
    } catch (IOException e) {
      fail(what + " is not listening on 127.0.0.1:" + port + " (" + e.getMessage() + "): run scripts/services.sh up");
    }
  }

  public static String pgAdminUrl() {
    requireListening("PostgreSQL", "ROLLOUT_PG_PORT");
    return get("ROLLOUT_PG_URL");
  }

  public static String pgUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port("ROLLOUT_PG_PORT") + "/" + database;
  }
}
