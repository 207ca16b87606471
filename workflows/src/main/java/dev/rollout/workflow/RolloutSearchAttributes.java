package dev.rollout.workflow;

import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The typed search attributes a rollout keeps current, so the Temporal Web UI (and
 * {@code ListWorkflowExecutions}) can answer "what waits for the Release Manager", "everything that
 * ended ROLLBACK_FAILED this week", "all rollouts of orders". Every one must be registered on the
 * server before a workflow upserts it — an unregistered attribute stalls the workflow: the
 * embedded server and the test environments register {@link #ALL}, docker-compose registers the
 * same names in {@code deploy/temporal/scripts/create-namespace.sh}.
 */
public final class RolloutSearchAttributes {
  /** Every target's key ({@code service.environment}); a plan may have several. */
  public static final SearchAttributeKey<List<String>> TARGET = SearchAttributeKey.forKeywordList("RolloutTarget");
  public static final SearchAttributeKey<List<String>> ENVIRONMENT =
      SearchAttributeKey.forKeywordList("RolloutEnvironment");
  public static final SearchAttributeKey<String> PLAN = SearchAttributeKey.forKeyword("RolloutPlan");
  /** The current phase's name; kept after the end (the phase the rollout ended in). */
  public static final SearchAttributeKey<String> PHASE = SearchAttributeKey.forKeyword("RolloutPhase");
  /** A {@link RolloutState} name: a failed rollback lists as ROLLBACK_FAILED, not "Completed". */
  public static final SearchAttributeKey<String> STATE = SearchAttributeKey.forKeyword("RolloutState");
  /** An {@link Outcome} name, set once the rollout ended. */
  public static final SearchAttributeKey<String> OUTCOME = SearchAttributeKey.forKeyword("RolloutOutcome");
  /** The roles that can answer what the rollout waits for now; empty when it waits for no one. */
  public static final SearchAttributeKey<List<String>> WAITING_FOR =
      SearchAttributeKey.forKeywordList("RolloutWaitingFor");

  public static final List<SearchAttributeKey<?>> ALL =
      List.of(TARGET, ENVIRONMENT, PLAN, PHASE, STATE, OUTCOME, WAITING_FOR);

  /** Registers every attribute on a time-skipping test environment (rehearsals, tests). */
  public static void registerOn(TestWorkflowEnvironment env) {
    for (SearchAttributeKey<?> key : ALL) {
      if (!env.registerSearchAttribute(key.getName(), key.getValueType())) {
        throw new IllegalStateException("cannot register search attribute " + key.getName());
      }
    }
  }

  private RolloutSearchAttributes() {}

  /**
   * Registers every attribute on the Temporal server at {@code target} (the embedded server, a test
   * server in its own process). Unregistered, the workflow's first upsert would stall the rollout.
   */
  public static void registerOn(String target, String namespace) {
    OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(
        OperatorServiceStubsOptions.newBuilder().setTarget(target).validateAndBuildWithDefaults());
    try {
      AddSearchAttributesRequest.Builder request = AddSearchAttributesRequest.newBuilder().setNamespace(namespace);
      ALL.forEach(key -> request.putSearchAttributes(key.getName(), key.getValueType()));
      operator.blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS).addSearchAttributes(request.build());
    } finally {
      operator.shutdownNow();
    }
  }
}
