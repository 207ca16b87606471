package dev.rollout.plan;

import java.time.Duration;

/**
 * One rung of an escalation chain: the declared notifier told when an incident has been open for
 * {@code after} ("0-2 minutes: #incidents, 2-5 minutes: engineering, 5-10 minutes: management").
 * {@code after: 0m} tells at once.
 */
public record Escalation(Duration after, String notifier) {}
