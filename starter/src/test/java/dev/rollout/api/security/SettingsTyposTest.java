package dev.rollout.api.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** A careless edit of the access configuration: a misspelt key must not silently widen a rule. */
class SettingsTyposTest {

  @Test
  void aRuleWithAMisspeltTargetsKeyStopsTheStartRatherThanCoveringEveryTarget() {
    // Without `targets` a rule covers every target: `target:` would hand pm production too.
    assertThatThrownBy(() -> SettingsTypos.check(env(Map.of(
        "rollout.security.access.pm.subjects[0]", "alice",
        "rollout.security.access.pm.target[0]", "checkout/*",
        "rollout.security.access.pm.actions[0]", "APPROVE"))))
        .hasMessageContaining("rollout.security.access.pm.target[0]");
  }

  @Test
  void aFloorWithAMisspeltKeyStopsTheStartRatherThanLeavingNoFloor() {
    assertThatThrownBy(() -> SettingsTypos.check(env(Map.of("rollout.security.floors.production.min-approver", "2"))))
        .hasMessageContaining("rollout.security.floors.production.min-approver");
  }

  @Test
  void aTokenOrOidcKeyMisspeltIsNamedToo() {
    assertThatThrownBy(() -> SettingsTypos.check(env(Map.of("rollout.security.oidc.issuer", "https://idp",
        "rollout.security.oidc.audiences", "rollout-api"))))
        .hasMessageContaining("rollout.security.oidc.audiences");
    assertThatThrownBy(() -> SettingsTypos.check(env(Map.of("rollout.security.tokens.ci.principal", "ci",
        "rollout.security.tokens.ci.sha265", "00"))))
        .hasMessageContaining("rollout.security.tokens.ci.sha265");
  }

  @Test
  void theDocumentedKeysInEitherSpellingAndTheWorkersOwnKeysPass() {
    assertThatCode(() -> SettingsTypos.check(env(Map.of(
        "rollout.security.access.pm.subjects", "alice",
        "rollout.security.access.pm.targets", "checkout/*",
        "rollout.security.access.pm.actions", "APPROVE",
        "rollout.security.access.pm.roles", "Product Manager",
        "rollout.security.floors.production.minApprovers", "2",
        "rollout.security.floors.production.starter-counts", "false",
        "rollout.security.tokens.ci.metrics-only", "true",
        "rollout.security.limits.max-body", "1MB",
        "rollout.security.signing-key", "not ours: the worker's",
        "rollout.security.oidc.groups-claim", "groups")))).doesNotThrowAnyException();
  }

  private static StandardEnvironment env(Map<String, Object> properties) {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().addFirst(new MapPropertySource("test", properties));
    return env;
  }
}
