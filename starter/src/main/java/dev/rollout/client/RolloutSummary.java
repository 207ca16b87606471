package dev.rollout.client;

import dev.rollout.workflow.RolloutState;
import java.time.Instant;

/**
 * One line of a rollout listing.
 *
 * @param execution Temporal's execution status: RUNNING, COMPLETED, FAILED, TERMINATED, …
 * @param state the rollout's own state, or null when it could not be read (e.g. terminated)
 */
public record RolloutSummary(
    String rolloutId,
    String runId,
    String plan,
    String target,
    String startedBy,
    Instant startedAt,
    String execution,
    RolloutState state) {}
