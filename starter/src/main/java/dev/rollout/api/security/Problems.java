package dev.rollout.api.security;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import com.fasterxml.jackson.databind.ObjectMapper;

/** RFC 9457 Problem Details written by filters, which run before Spring MVC's error handling. */
final class Problems {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Problems() {}

  static void write(HttpServletResponse response, int status, String type, String title, String detail)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "urn:rollout:problem:" + type);
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    response.setStatus(status);
    response.setContentType("application/problem+json");
    response.getWriter().write(JSON.writeValueAsString(body));
  }
}
