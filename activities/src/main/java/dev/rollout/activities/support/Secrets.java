package dev.rollout.activities.support;

import io.temporal.failure.ApplicationFailure;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The one place secrets are resolved. Plans name a secret ({@code ORDERS_DB}); the worker's
 * environment or configuration holds its parts ({@code ORDERS_DB_URL}, {@code ORDERS_DB_USER}, …).
 * Values are never logged, never put in an exception message and never returned into history.
 */
public final class Secrets {

  /** The failure type of a secret the worker does not have: retrying cannot help. */
  public static final String MISSING = "MissingSecret";

  private final Map<String, String> values;

  public Secrets(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /** The process environment, overridden by system properties of the same name. */
  public static Secrets fromEnvironment() {
    Map<String, String> all = new HashMap<>(System.getenv());
    System.getProperties().forEach((k, v) -> all.put(k.toString(), v.toString()));
    return new Secrets(all);
  }

  public static Secrets of(Properties properties) {
    Map<String, String> all = new HashMap<>();
    properties.forEach((k, v) -> all.put(k.toString(), v.toString()));
    return new Secrets(all);
  }

  /** The value of {@code key}; a non-retryable failure naming the key when it is not configured. */
  public String require(String key) {
    return optional(key)
        .orElseThrow(
            () ->
                ApplicationFailure.newNonRetryableFailure(
                    "secret '" + key + "' is not configured on the worker (set it in the environment"
                        + " or the worker's configuration)",
                    MISSING));
  }

  public Optional<String> optional(String key) {
    if (key == null || key.isBlank()) {
      throw Failures.badInput("a secret name is required but the plan gave none");
    }
    String value = values.get(key);
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  /** Connection details stored under {@code NAME_URL}, {@code NAME_USER}, {@code NAME_PASSWORD}. */
  public Credentials credentials(String name) {
    return new Credentials(
        require(name + "_URL"), optional(name + "_USER").orElse(null), optional(name + "_PASSWORD").orElse(""));
  }

  /** A URL, user and password; {@link #toString()} hides the password. */
  public record Credentials(String url, String user, String password) {
    @Override
    public String toString() {
      // The URL's query may hold a password (?password=): never printed.
      String shown = url == null || url.indexOf('?') < 0 ? url : url.substring(0, url.indexOf('?')) + "?***";
      return "Credentials[url=" + shown + ", user=" + user + ", password=***]";
    }
  }

  @Override
  public String toString() {
    return "Secrets[" + values.size() + " entries]";
  }
}
