package dev.rollout.activities.traffic.nginx;

import java.time.Duration;

/** @param nginxBinary the nginx executable, e.g. {@code nginx} on the PATH or {@code /usr/sbin/nginx} */
public record NginxSettings(String nginxBinary, Duration commandTimeout) {

  public NginxSettings {
    nginxBinary = nginxBinary == null ? "nginx" : nginxBinary;
    commandTimeout = commandTimeout == null ? Duration.ofSeconds(30) : commandTimeout;
  }

  public NginxSettings() {
    this(null, null);
  }
}
