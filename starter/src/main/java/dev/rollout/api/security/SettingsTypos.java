package dev.rollout.api.security;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * A misspelt key in the access configuration stops the start instead of being ignored: Spring
 * drops unknown keys, and some of those typos widen access rather than narrow it — a rule's
 * {@code target:} leaves {@code targets} unset, which means every target; a floor's
 * {@code min-approver:} leaves no floor at all.
 */
final class SettingsTypos {
  private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("rollout.security");

  /** Per section: whether its entries are named (a map) and the keys an entry knows, dashes removed. */
  private record Section(boolean named, Set<String> keys) {}

  private static final Map<String, Section> SECTIONS = Map.of(
      "access", new Section(true, Set.of("subjects", "targets", "actions", "roles")),
      "floors", new Section(true, Set.of("minapprovers", "startercounts")),
      "tokens", new Section(true, Set.of("principal", "groups", "sha256", "metricsonly")),
      "oidc", new Section(false, Set.of("issuer", "jwksuri", "audience", "principalclaim", "groupsclaim")),
      "limits", new Section(false, Set.of("maxbody", "maxcomment", "rehearsalsinflight", "requestsperminute")));

  private SettingsTypos() {}

  static void check(Environment environment) {
    TreeSet<String> unknown = new TreeSet<>();
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      if (!(source instanceof IterableConfigurationPropertySource iterable)) continue;
      iterable.stream().filter(ROOT::isAncestorOf).forEach(name -> {
        Section section = SECTIONS.get(name.getElement(2, Form.UNIFORM));
        if (section == null) return; // not ours (the worker's signing key, its max age)
        int at = section.named() ? 4 : 3;
        if (name.getNumberOfElements() > at && !section.keys().contains(name.getElement(at, Form.UNIFORM))) {
          unknown.add(name.toString());
        }
      });
    }
    if (!unknown.isEmpty()) {
      throw new IllegalStateException("unknown keys in the access configuration " + List.copyOf(unknown)
          + ": a rule knows subjects, targets, actions and roles; a floor min-approvers and starter-counts; a token"
          + " principal, groups, sha256 and metrics-only (a misspelt key could widen access, so the server does not start)");
    }
  }
}
