package dev.rollout.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The REST API's paths, in one place. */
final class RolloutPaths {
  private RolloutPaths() {}

  static final String ROLLOUTS = "/rollouts";
  static final String VALIDATE = "/plans/validate";

  static String rollout(String id) {
    return ROLLOUTS + "/" + encode(id);
  }

  /** An action on a rollout: {@code approve}, {@code reject}, {@code skip-bake}, … */
  static String action(String id, String action) {
    return rollout(id) + "/" + action;
  }

  /** {@code ?runId=...} to read one run of a rollout id; empty for the newest run. */
  static String runQuery(String runId) {
    return runId == null || runId.isBlank() ? "" : "?runId=" + encode(runId.strip());
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
