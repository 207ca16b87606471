package dev.rollout.client;

import java.time.Duration;

/**
 * The rollout did not answer in time: its worker is down, overloaded or the Update is queued
 * behind a long workflow task. Nothing is known to have changed; the request may still be applied
 * when the rollout catches up, so read the status before repeating it.
 */
public class RolloutDeadlineException extends RuntimeException {
  public RolloutDeadlineException(String rolloutId, String waitedFor, Duration deadline) {
    super("gave up after " + deadline.toSeconds() + " s waiting for rollout '" + rolloutId + "' to accept the "
        + waitedFor + " (is its worker running?); read its status before repeating the request");
  }
}
