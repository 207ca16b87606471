package dev.rollout.api;

import dev.rollout.client.CallerIdentity;
import jakarta.servlet.http.HttpServletRequest;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.server.ResponseStatusException;

/**
 * The caller of an API request. There is no authentication yet: the caller names itself in the
 * {@value CallerIdentity#HEADER} header (the CLI sends its ROLLOUT_USER), else the server's own
 * configured identity is used. An authentication layer replaces this bean with one that reads the
 * authenticated principal.
 */
final class RequestCallerIdentity implements CallerIdentity {
  private static final Pattern VALID = Pattern.compile("[\\p{L}\\p{N}._@+-]{1,100}");

  private final String fallback;

  RequestCallerIdentity(String fallback) {
    this.fallback = fallback;
  }

  @Override
  public String user() {
    if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attrs)) {
      return fallback;
    }
    HttpServletRequest request = attrs.getRequest();
    String named = request.getHeader(HEADER);
    if (named == null || named.isBlank()) {
      return fallback;
    }
    if (!VALID.matcher(named.strip()).matches()) {
      throw new ResponseStatusException(
          HttpStatus.BAD_REQUEST,
          "header " + HEADER + ": '" + named + "' is not a user name (letters, digits, . _ @ + -;"
              + " at most 100)");
    }
    return named.strip();
  }
}
