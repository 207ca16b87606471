package dev.rollout.client;

import dev.rollout.plan.Plan;
import dev.rollout.plan.Target;
import dev.rollout.workflow.Actions;
import dev.rollout.workflow.RolloutIds;
import dev.rollout.workflow.RolloutRequest;
import dev.rollout.workflow.RolloutState;
import dev.rollout.workflow.RolloutStatus;
import dev.rollout.workflow.RolloutWorkflow;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one place that starts and steers rollouts on Temporal. Every action carries its caller,
 * which the callers get from {@link CallerIdentity}.
 */
public class RolloutService {

  private final WorkflowClient client;
  private final String taskQueue;
  private final RolloutCalls calls;
  private final RolloutLister lister;

  public RolloutService(WorkflowClient client, String taskQueue) {
    this.client = client;
    this.taskQueue = taskQueue;
    this.calls = new RolloutCalls(client);
    this.lister = new RolloutLister(client, calls);
  }

  /**
   * Starts a rollout of a validated plan. The workflow id comes from the plan's targets, and
   * Temporal refuses a second running workflow with that id: a busy target throws {@link
   * RolloutBusyException} naming the running rollout. A finished rollout's id may be reused.
   */
  public RolloutStatus start(Plan plan, String source, String user) {
    String id = RolloutIds.forPlan(plan);
    String targets = plan.targets().stream().map(Target::key).collect(Collectors.joining(", "));
    WorkflowOptions options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(id)
            .setTaskQueue(taskQueue)
            .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
            .setMemo(Map.of("plan", plan.name(), "target", targets, "startedBy", user))
            .setStaticSummary(summary(plan.name() + " → " + targets + " (by " + user + ")"))
            .build();
    RolloutWorkflow workflow = client.newWorkflowStub(RolloutWorkflow.class, options);
    try {
      WorkflowClient.start(workflow::run, new RolloutRequest(id, plan, user, source));
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw new RolloutBusyException(id, e.getExecution().getRunId());
    }
    return calls.statusWhenReady(id);
  }

  /**
   * Rollouts, running and finished, newest first.
   *
   * @param target a target key ({@code service/environment}) or a service name; null for all
   * @param state only rollouts in this state; null for all
   */
  public List<RolloutSummary> list(String target, RolloutState state) {
    return lister.list(target, state);
  }

  public RolloutStatus status(String rolloutId) {
    return calls.status(rolloutId);
  }

  /** The plan a rollout runs (as it was started), from Temporal's record of its start. */
  public Plan plan(String rolloutId) {
    try {
      return calls.request(rolloutId).plan();
    } catch (io.grpc.StatusRuntimeException e) {
      if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) throw new RolloutNotFoundException(rolloutId);
      throw e;
    }
  }

  public RolloutStatus approve(String rolloutId, Actions.Approve action) {
    return update(rolloutId, w -> w.approve(action));
  }

  public RolloutStatus reject(String rolloutId, Actions.Reject action) {
    return update(rolloutId, w -> w.reject(action));
  }

  public RolloutStatus confirm(String rolloutId, Actions.Confirm action) {
    return update(rolloutId, w -> w.confirm(action));
  }

  public RolloutStatus pause(String rolloutId, Actions.Operator action) {
    return update(rolloutId, w -> w.pause(action));
  }

  public RolloutStatus resume(String rolloutId, Actions.Operator action) {
    return update(rolloutId, w -> w.resume(action));
  }

  public RolloutStatus abort(String rolloutId, Actions.Abort action) {
    return update(rolloutId, w -> w.abort(action));
  }

  public RolloutStatus skipBake(String rolloutId, Actions.SkipBake action) {
    return update(rolloutId, w -> w.skipBake(action));
  }

  public RolloutStatus decide(String rolloutId, Actions.Decide action) {
    return update(rolloutId, w -> w.decide(action));
  }

  private RolloutStatus update(String rolloutId, Function<RolloutWorkflow, RolloutStatus> call) {
    return calls.update(rolloutId, call);
  }

  /** The Web UI shows at most 200 bytes of a static summary. */
  private static String summary(String text) {
    return text.length() <= 120 ? text : text.substring(0, 117) + "...";
  }
}
