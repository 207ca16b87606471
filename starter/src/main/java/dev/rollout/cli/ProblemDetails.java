package dev.rollout.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** Turns the API's RFC 9457 Problem Details into the one message a user reads. */
final class ProblemDetails {
  private ProblemDetails() {}

  static CliException refusal(int status, JsonNode body) {
    StringBuilder message = new StringBuilder();
    String title = text(body, "title");
    String detail = text(body, "detail");
    JsonNode problems = body.path("problems");
    message.append(title != null ? title : "HTTP " + status);
    // An invalid plan's detail repeats its problems, listed one per line below.
    if (detail != null && !detail.equals(title) && !problems.isArray()) message.append(": ").append(detail);
    if (problems.isArray()) {
      for (JsonNode problem : problems) {
        message.append(System.lineSeparator()).append("  ").append(problem.isTextual() ? problem.asText() : describe(problem));
      }
    }
    if (title == null && detail == null && body.isTextual() && !body.asText().isBlank()) {
      message.append(": ").append(body.asText().strip());
    }
    // A gateway error means the API is up but cannot reach Temporal: as good as unreachable.
    int exit = status == 502 || status == 503 || status == 504 ? ExitCodes.UNREACHABLE : ExitCodes.REFUSED;
    return new CliException(exit, message.toString());
  }

  /** One plan problem the way the validator prints it: {@code file:line:col path: message}. */
  private static String describe(JsonNode problem) {
    if (problem.has("source") && problem.has("line")) {
      String where = problem.path("source").asText() + ":" + problem.path("line").asInt() + ":" + problem.path("column").asInt();
      String path = problem.path("path").asText("");
      return where + " " + (path.isEmpty() ? "" : path + ": ") + problem.path("message").asText();
    }
    return problem.toString();
  }

  private static String text(JsonNode body, String field) {
    JsonNode node = body.path(field);
    return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
  }
}
