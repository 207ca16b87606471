package dev.rollout.plan;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * URLs and {@code host:port} addresses read apart, so a value such as {@code 127.0.0.1:abc} or
 * {@code http://db:70000} is refused while the plan is checked, not when a step first dials it.
 */
final class Addresses {
  /** scheme://authority[/path…]; the authority is checked apart. */
  private static final Pattern URL = Pattern.compile("(https?)://([^/?#\\s]*)([/?#]\\S*)?");
  /** host, [ipv6] or host:port; the port is checked apart. */
  private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9._-]+)(?::(.*))?");

  private Addresses() {}

  /** Why {@code text} is not an http:// or https:// URL with a valid host and port, or empty. */
  static Optional<String> urlProblem(String text) {
    Matcher m = URL.matcher(text);
    if (!m.matches()) return Optional.of("'" + text + "' is not an http:// or https:// URL");
    Optional<String> authority = authorityProblem(m.group(2));
    return authority.map(why -> "'" + text + "' is not a URL: " + why);
  }

  /** Why {@code text} is not a {@code host:port} address (the port may be left out), or empty. */
  static Optional<String> hostPortProblem(String text) {
    return authorityProblem(text).map(why -> "'" + text + "' is not a host:port address: " + why);
  }

  private static Optional<String> authorityProblem(String authority) {
    if (authority.isEmpty() || authority.startsWith(":")) return Optional.of("it names no host");
    Matcher m = HOST_PORT.matcher(authority);
    if (!m.matches()) return Optional.of("'" + authority + "' is not a host name or IP address");
    String port = m.group(2);
    if (port == null) return Optional.empty();
    if (!port.matches("\\d{1,5}")) return Optional.of("port '" + port + "' is not a number (1-65535)");
    int value = Integer.parseInt(port);
    if (value < 1 || value > 65535) return Optional.of("port " + value + " is not 1-65535");
    return Optional.empty();
  }
}
