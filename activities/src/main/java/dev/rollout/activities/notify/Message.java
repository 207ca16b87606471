package dev.rollout.activities.notify;

import dev.rollout.plan.Severity;
import java.time.Instant;

/**
 * What to tell people, with what the receiver needs to de-duplicate retries.
 *
 * @param dedupKey the same for every retry of one notification
 */
public record Message(
    String rolloutId, String notifier, Severity severity, String title, String text, Instant at, String dedupKey) {}
