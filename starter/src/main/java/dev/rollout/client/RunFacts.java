package dev.rollout.client;

import java.util.List;

/**
 * What the API needs to know about a rollout's current run before it lets anyone act on it.
 *
 * @param runId the run an action is signed for and sent to
 * @param targets its targets' keys ({@code service/environment})
 * @param planDigest the content digest of the plan it runs
 * @param startedBy the canonical principal who started it
 */
public record RunFacts(String rolloutId, String runId, List<String> targets, String planDigest, String startedBy) {}
