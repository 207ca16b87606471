package dev.rollout.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CallerIdentityTest {

  @Test
  void theConfiguredIdentityWinsOverTheOsUser() {
    assertThat(CallerIdentity.localUser("  alice ")).isEqualTo("alice");
  }

  @Test
  void withoutConfigurationItIsTheOsUser() {
    assertThat(CallerIdentity.localUser(null)).isEqualTo(System.getProperty("user.name"));
    assertThat(CallerIdentity.localUser(" ")).isEqualTo(System.getProperty("user.name"));
  }
}
