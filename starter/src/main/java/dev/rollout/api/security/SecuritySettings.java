package dev.rollout.api.security;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Who may call the API and what they may do: {@code rollout.security.*}, usually from the file
 * named by {@code ROLLOUT_SECURITY_CONFIG} (a Spring YAML file). Maps, not lists, so entries from
 * several sources (the file, the command line of {@code ./rollout server}) add up.
 *
 * @param tokens static API tokens by name: only their SHA-256 is stored
 * @param oidc bearer JWTs from an identity provider; null when not used
 * @param access rules by name: who may do what, on which targets, as which plan roles
 * @param floors per environment, the approvals every plan must at least ask for
 * @param limits request limits
 * @param metricsTokenFile a file holding the token Prometheus scrapes {@code /actuator/prometheus}
 *     with (a compose secret, also given to Prometheus as its bearer token file); that token reads
 *     metrics and nothing else. Null: only ordinary tokens may read metrics.
 */
@ConfigurationProperties("rollout.security")
public record SecuritySettings(
    Map<String, Token> tokens,
    Oidc oidc,
    Map<String, AccessRule> access,
    Map<String, Floor> floors,
    Limits limits,
    String metricsTokenFile) {

  public SecuritySettings {
    tokens = tokens == null ? Map.of() : Map.copyOf(tokens);
    access = access == null ? Map.of() : Map.copyOf(access);
    floors = floors == null ? Map.of() : Map.copyOf(floors);
    limits = limits == null ? new Limits(null, 0, 0, 0) : limits;
  }

  /**
   * @param sha256 hex SHA-256 of the token (`printf %s TOKEN | sha256sum`)
   * @param metricsOnly true: the token may read {@code /actuator/prometheus} and nothing else (a scraper)
   */
  public record Token(String principal, List<String> groups, String sha256, Boolean metricsOnly) {
    public boolean scrapesOnly() {
      return Boolean.TRUE.equals(metricsOnly);
    }
  }

  /**
   * @param issuer the {@code iss} every token must carry
   * @param jwksUri where the signing keys are; default the issuer's discovery document
   * @param audience when set, the {@code aud} every token must include
   * @param principalClaim the claim naming the person (default {@code preferred_username}, else {@code sub})
   * @param groupsClaim the claim listing groups or roles (default {@code groups})
   */
  public record Oidc(String issuer, String jwksUri, String audience, String principalClaim, String groupsClaim) {
    public boolean enabled() {
      return issuer != null && !issuer.isBlank();
    }
  }

  /**
   * @param subjects principals ({@code alice}), groups ({@code group:sre}) or {@code *} (anyone authenticated)
   * @param targets {@code service/environment} globs ({@code orders/*}, {@code *}/production), default every target
   * @param actions what they may do
   * @param roles the plan roles they may approve, reject, confirm and skip bakes as ({@code *}: any)
   */
  public record AccessRule(List<String> subjects, List<String> targets, Set<Permission> actions, List<String> roles) {
    public AccessRule {
      subjects = subjects == null ? List.of() : List.copyOf(subjects);
      targets = targets == null || targets.isEmpty() ? List.of("*") : List.copyOf(targets);
      actions = actions == null ? Set.of() : Set.copyOf(actions);
      roles = roles == null ? List.of() : List.copyOf(roles);
    }
  }

  /**
   * @param minApprovers every phase must ask at least this many distinct people (in one approval)
   * @param starterCounts false: the person who started the rollout never counts as an approver
   */
  public record Floor(int minApprovers, boolean starterCounts) {}

  /**
   * @param maxBody bodies larger than this are refused before they are read (413)
   * @param maxComment longest comment or reason, in characters (422 beyond)
   * @param rehearsalsInFlight rehearsals running at once (429 beyond)
   * @param requestsPerMinute per principal (429 beyond), with a burst of as many
   */
  public record Limits(DataSize maxBody, int maxComment, int rehearsalsInFlight, int requestsPerMinute) {
    public Limits {
      maxBody = maxBody == null ? DataSize.ofKilobytes(1088) : maxBody;
      maxComment = maxComment <= 0 ? 2000 : maxComment;
      rehearsalsInFlight = rehearsalsInFlight <= 0 ? 2 : rehearsalsInFlight;
      requestsPerMinute = requestsPerMinute <= 0 ? 600 : requestsPerMinute;
    }
  }

  /** What a rule may allow. PAUSE covers resume; APPROVE covers reject and confirm. */
  public enum Permission {
    START,
    PAUSE,
    ABORT,
    DECIDE,
    SKIP_BAKE,
    APPROVE
  }

}
