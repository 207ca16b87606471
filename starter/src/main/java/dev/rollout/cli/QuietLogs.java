package dev.rollout.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/**
 * A CLI prints what its user asked for, not library chatter: warnings and errors only, and from
 * the Temporal SDK errors only. {@code server} and {@code demo} get Spring Boot's logging set-up.
 */
final class QuietLogs {
  private QuietLogs() {}

  static void apply() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
      logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
      logback.getLogger("io.temporal").setLevel(Level.ERROR);
    }
  }
}
