package dev.rollout.plan;

/**
 * Plan-wide notification defaults: which declared notifier hears about approvals wanted, rollbacks
 * and the end of the rollout.
 */
public record Notifications(String notifier, String onRollback, String onComplete) {}
