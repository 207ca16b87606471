package dev.rollout.activities.kubernetes;

import java.time.Duration;

/**
 * @param readyTimeout how long a Deployment may take to become ready after a change
 * @param pollInterval how often its status is read while waiting
 */
public record KubernetesSettings(Duration readyTimeout, Duration pollInterval) {

  public KubernetesSettings {
    readyTimeout = readyTimeout == null ? Duration.ofMinutes(10) : readyTimeout;
    pollInterval = pollInterval == null ? Duration.ofSeconds(2) : pollInterval;
  }

  public KubernetesSettings() {
    this(null, null);
  }
}
