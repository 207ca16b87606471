package dev.rollout.worker.security;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Plans;
import dev.rollout.plan.Target;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What each target's plans may reach, from the worker's configuration ({@code rollout.scopes.*}):
 * secret names (database connections, Redis connections, notifier URL and key secrets), file
 * paths (nginx files, JSON flag files, Flyway filesystem locations), Kubernetes namespaces and URL
 * hosts (Prometheus, scrape, proxy admin and health URLs). A plan that names anything outside the
 * scopes of its targets is refused with the field and line.
 *
 * <p>With no scope configured at all, nothing is restricted (a local demo); as soon as one is, a
 * target no scope covers may use none of these.
 *
 * @param scopes by name; each applies to the targets its globs match
 */
@ConfigurationProperties("rollout")
public record TargetScopes(Map<String, Scope> scopes) {

  public TargetScopes {
    scopes = scopes == null ? Map.of() : Map.copyOf(scopes);
  }

  /** Globs: {@code *} within a name or path segment, {@code **} across segments. */
  public record Scope(List<String> targets, List<String> secrets, List<String> paths, List<String> namespaces, List<String> hosts) {
    public Scope {
      targets = targets == null ? List.of() : List.copyOf(targets);
      secrets = secrets == null ? List.of() : List.copyOf(secrets);
      paths = paths == null ? List.of() : List.copyOf(paths);
      namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
      hosts = hosts == null ? List.of() : List.copyOf(hosts);
    }
  }

  /** One value a plan names that its targets' scopes do not allow. */
  public record Violation(String field, String kind, String value) {
    public String message() {
      return kind + " '" + value + "' is outside the worker's scope for this target";
    }
  }

  public boolean restricts() {
    return !scopes.isEmpty();
  }

  /** Every value of the plan outside the scopes of all its targets; empty when none. */
  public List<Violation> check(Plan plan) {
    return check(plan.targets(), "", plan);
  }

  /**
   * Every reference inside {@code value} (a plan, or a resource spec an activity received) outside
   * the scopes of all {@code targets}; {@code root} prefixes the field paths. Empty when none.
   */
  public List<Violation> check(List<Target> targets, String root, Object value) {
    if (!restricts() || value == null) return List.of();
    List<Violation> out = new ArrayList<>();
    walk(Plans.mapper().valueToTree(value), root, targets, out);
    return out;
  }

  /** A reference that is a bare value (a health check's URL): {@code field} says its kind. */
  public List<Violation> checkValue(List<Target> targets, String field, String value) {
    if (!restricts() || value == null) return List.of();
    List<Violation> out = new ArrayList<>();
    check(field, field, value, targets, out);
    return out;
  }

  private void walk(JsonNode node, String path, List<Target> targets, List<Violation> out) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        var e = it.next();
        String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        if (e.getValue().isTextual()) {
          check(e.getKey(), child, e.getValue().asText(), targets, out);
        } else {
          walk(e.getValue(), child, targets, out);
        }
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) walk(node.get(i), path + "[" + i + "]", targets, out);
    }
  }

  private void check(String field, String path, String value, List<Target> targets, List<Violation> out) {
    String kind = kindOf(field);
    if (kind == null || value.isBlank()) return;
    if (targets.isEmpty()) {
      out.add(new Violation(path, kind, kind.equals("URL host") ? hostOf(value) : value));
      return;
    }
    for (Target t : targets) {
      if (!allowed(kind, value, t.key())) {
        out.add(new Violation(path, kind, kind.equals("URL host") ? hostOf(value) : value));
        return;
      }
    }
  }

  /** Which kind of reference a plan field holds, by its name (one place to extend). */
  static String kindOf(String field) {
    if (field.equals("connection") || field.endsWith("Secret")) return "secret";
    if (field.equals("upstreamFile") || field.equals("nginxConfig") || field.equals("path") || field.equals("migrations")) return "file path";
    if (field.equals("namespace")) return "namespace";
    if (field.equals("url") || field.endsWith("Url")) return "URL host";
    return null;
  }

  private boolean allowed(String kind, String value, String target) {
    for (Scope s : scopes.values()) {
      if (s.targets().stream().noneMatch(g -> glob(g, false).matcher(target.toLowerCase(Locale.ROOT)).matches())) continue;
      List<String> globs = switch (kind) {
        case "secret" -> s.secrets();
        case "file path" -> s.paths();
        case "namespace" -> s.namespaces();
        default -> s.hosts();
      };
      String subject = switch (kind) {
        case "file path" -> value.startsWith("filesystem:") ? value.substring("filesystem:".length()) : value;
        case "URL host" -> hostOf(value);
        default -> value;
      };
      if (kind.equals("file path") && subject.startsWith("classpath:")) return true; // inside the worker's own jar
      if (kind.equals("file path") && subject.contains("..")) continue;
      boolean caseless = !kind.equals("file path");
      for (String g : globs) {
        if (glob(g, caseless).matcher(caseless ? subject.toLowerCase(Locale.ROOT) : subject).matches()) return true;
      }
    }
    return false;
  }

  /** host or host:port of a URL; the text itself when it is no URL. Never the user info. */
  static String hostOf(String url) {
    try {
      URI u = URI.create(url.strip());
      if (u.getHost() == null) return "(not a URL)";
      return u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
    } catch (IllegalArgumentException e) {
      return "(not a URL)";
    }
  }

  static Pattern glob(String glob, boolean caseless) {
    String g = caseless ? glob.strip().toLowerCase(Locale.ROOT) : glob.strip();
    if (g.equals("*")) return Pattern.compile(".*"); // alone: everything (every target, every host)
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < g.length(); i++) {
      char c = g.charAt(i);
      if (c == '*' && i + 1 < g.length() && g.charAt(i + 1) == '*') {
        re.append(".*");
        i++;
      } else if (c == '*') {
        re.append("[^/]*");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }
}
