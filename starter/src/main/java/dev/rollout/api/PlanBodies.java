package dev.rollout.api;

import dev.rollout.plan.Plan;
import dev.rollout.plan.Plans;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** Plans sent in a request body: YAML or JSON (JSON is YAML), parsed and validated. */
final class PlanBodies {
  /** The name problems are reported against when the caller does not name the file. */
  static final String DEFAULT_SOURCE = "request";

  private PlanBodies() {}

  /** The plan, or a {@link dev.rollout.plan.PlanException} listing every problem. */
  static Plan parse(String text, String source) {
    if (text == null || text.isBlank()) {
      throw new ResponseStatusException(
          HttpStatus.BAD_REQUEST, "the request body must be a plan (YAML or JSON); it was empty");
    }
    return Plans.parse(text, sourceName(source));
  }

  static String sourceName(String source) {
    return source == null || source.isBlank() ? DEFAULT_SOURCE : source.strip();
  }
}
