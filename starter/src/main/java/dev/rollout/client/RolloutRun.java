package dev.rollout.client;

import dev.rollout.workflow.RolloutState;
import java.time.Instant;

/**
 * One run of a rollout id: every rollout of a target shares the id ({@code rollout-<service>.<env>}),
 * each start is a new run. Read any of them with {@code GET /rollouts/{id}?runId=...}.
 *
 * @param closedAt when the run ended; null while it runs
 * @param execution Temporal's execution status: RUNNING, COMPLETED, CANCELED, TERMINATED, …
 * @param state how the rollout ended (or where it is now); null when it cannot be read (terminated)
 * @param latest true for the newest run, the one {@code GET /rollouts/{id}} shows and actions go to
 */
public record RolloutRun(
    String rolloutId,
    String runId,
    String startedBy,
    Instant startedAt,
    Instant closedAt,
    String execution,
    RolloutState state,
    boolean latest) {}
