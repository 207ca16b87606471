package dev.rollout.client;

import dev.rollout.worker.VisibilityQuery;
import dev.rollout.workflow.RolloutResult;
import dev.rollout.workflow.RolloutState;
import dev.rollout.workflow.RolloutStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.filter.v1.WorkflowTypeFilter;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import io.temporal.client.WorkflowClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Lists rollouts with a visibility query on their search attributes (ListWorkflowExecutions): a
 * real cluster answers it, and so does the embedded server ({@code EmbeddedVisibility} in the
 * worker module). A bare Temporal test server started elsewhere answers UNIMPLEMENTED: then the
 * legacy open/closed listings are described one by one and the same {@link VisibilityQuery}
 * decides.
 */
final class RolloutLister {
  static final String WORKFLOW_TYPE = "RolloutWorkflow";
  /** The recovery of a terminated rollout: a later run of the same rollout id. */
  static final String RECOVERY_TYPE = "RolloutRecoveryWorkflow";
  /** Every workflow type a rollout id's runs have. */
  static final List<String> WORKFLOW_TYPES = List.of(WORKFLOW_TYPE, RECOVERY_TYPE);
  /** Listing asks every rollout for its status: keep the listing to the newest ones. */
  static final int LIMIT = 200;

  private final WorkflowClient client;
  private final RolloutCalls calls;

  RolloutLister(WorkflowClient client, RolloutCalls calls) {
    this.client = client;
    this.calls = calls;
  }

  List<RolloutSummary> list(RolloutFilter filter) {
    return everyType(filter::query).stream()
        .map(this::summarise)
        .filter(filter::keeps)
        .toList();
  }

  /**
   * Every run of one rollout id, newest first: a visibility query on the id (answered by a real
   * cluster and by the embedded server; see {@link #executions}). Each run's state
   * is its own: the result of a completed run, else its status query, answered from its history.
   */
  List<RolloutRun> runs(String rolloutId) {
    List<WorkflowExecutionInfo> runs;
    try {
      runs = everyType(type -> VisibilityQuery.where(VisibilityQuery.WORKFLOW_TYPE, type).and(VisibilityQuery.WORKFLOW_ID, rolloutId));
    } catch (IllegalArgumentException quoted) {
      throw new RolloutNotFoundException(rolloutId); // ids are names: a quote could never be part of one
    }
    if (runs.isEmpty()) throw new RolloutNotFoundException(rolloutId);
    String latest = runs.get(0).getExecution().getRunId();
    return runs.stream().map(i -> run(i, i.getExecution().getRunId().equals(latest))).toList();
  }

  private RolloutRun run(WorkflowExecutionInfo info, boolean latest) {
    String id = info.getExecution().getWorkflowId();
    String runId = info.getExecution().getRunId();
    String execution = execution(info.getStatus());
    RolloutState state = switch (execution) {
      case "COMPLETED" -> outcome(id, runId);
      case "TERMINATED", "TIMED_OUT" -> null;
      default -> stateOf(id, runId);
    };
    // The test server's listings carry neither memo nor close time; a description of the run does.
    WorkflowExecutionInfo full = info.hasMemo() && (info.hasCloseTime() || "RUNNING".equals(execution)) ? info
        : calls.describe(id, runId).map(d -> d.getWorkflowExecutionInfo()).orElse(info);
    Instant closedAt = full.hasCloseTime() && full.getCloseTime().getSeconds() > 0 ? instant(full.getCloseTime()) : null;
    return new RolloutRun(id, runId, text(full.getMemo().getFieldsMap(), "startedBy"), instant(info.getStartTime()),
        closedAt, execution, state, latest);
  }

  /** A run's own state (a cancelled run rolled back first, and its status says so). */
  private RolloutState stateOf(String id, String runId) {
    try {
      return calls.status(id, runId).state();
    } catch (RuntimeException unreadable) {
      return null; // a listing must not fail because one run cannot answer
    }
  }

  private static Instant instant(com.google.protobuf.Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  private static List<WorkflowExecutionInfo> newestFirst(List<WorkflowExecutionInfo> found) {
    Map<String, WorkflowExecutionInfo> byRun = new LinkedHashMap<>();
    found.stream()
        .filter(i -> WORKFLOW_TYPES.contains(i.getType().getName()))
        .sorted(Comparator.comparing((WorkflowExecutionInfo i) -> i.getStartTime().getSeconds())
            .thenComparing(i -> i.getStartTime().getNanos()).reversed())
        .forEach(i -> byRun.putIfAbsent(i.getExecution().getRunId(), i));
    return List.copyOf(byRun.values());
  }

  /** The runs of every rollout workflow type meeting the query made for that type, newest first. */
  private List<WorkflowExecutionInfo> everyType(java.util.function.Function<String, VisibilityQuery> query) {
    List<WorkflowExecutionInfo> all = new ArrayList<>();
    for (String type : WORKFLOW_TYPES) all.addAll(executions(query.apply(type)));
    return newestFirst(all).stream().limit(LIMIT).toList();
  }

  /** Rollout executions meeting the query, newest first, each run once. */
  List<WorkflowExecutionInfo> executions(VisibilityQuery query) {
    List<WorkflowExecutionInfo> found;
    try {
      found = stub()
          .listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder()
              .setNamespace(namespace())
              .setQuery(query.text())
              .setPageSize(LIMIT)
              .build())
          .getExecutionsList();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) throw e;
      found = described(query);
    }
    return newestFirst(found).stream().limit(LIMIT).toList();
  }

  /**
   * A Temporal test server that is not our embedded one: its legacy listings (by workflow type)
   * carry no search attributes, a description of each does; the query decides on that.
   */
  private List<WorkflowExecutionInfo> described(VisibilityQuery query) {
    List<WorkflowExecutionInfo> listed = new ArrayList<>();
    for (String name : WORKFLOW_TYPES) {
      WorkflowTypeFilter type = WorkflowTypeFilter.newBuilder().setName(name).build();
      listed.addAll(stub().listOpenWorkflowExecutions(ListOpenWorkflowExecutionsRequest.newBuilder()
          .setNamespace(namespace()).setMaximumPageSize(LIMIT).setTypeFilter(type).build()).getExecutionsList());
      listed.addAll(stub().listClosedWorkflowExecutions(ListClosedWorkflowExecutionsRequest.newBuilder()
          .setNamespace(namespace()).setMaximumPageSize(LIMIT).setTypeFilter(type).build()).getExecutionsList());
    }
    return listed.stream()
        .map(i -> calls.describe(i.getExecution().getWorkflowId(), i.getExecution().getRunId())
            .map(d -> d.getWorkflowExecutionInfo()).orElse(i))
        .filter(query::matches)
        .toList();
  }

  /**
   * The rollout's own status when it answers a query; otherwise (terminated before its first
   * task, no worker) what its memo says.
   */
  private RolloutSummary summarise(WorkflowExecutionInfo info) {
    String id = info.getExecution().getWorkflowId();
    String runId = info.getExecution().getRunId();
    Instant started =
        Instant.ofEpochSecond(info.getStartTime().getSeconds(), info.getStartTime().getNanos());
    String execution = execution(info.getStatus());
    boolean latestRun = isLatest(id, runId);
    if (latestRun && !"TERMINATED".equals(execution) && !"TIMED_OUT".equals(execution)) {
      try {
        RolloutStatus s = calls.status(id);
        return new RolloutSummary(
            id, runId, s.plan(), s.target(), s.startedBy(), started, execution, s.state());
      } catch (RuntimeException queryFailed) {
        // Fall through to the memo: a listing must not fail because one rollout cannot answer.
      }
    }
    Map<String, Payload> memo = memo(id, runId, info);
    return new RolloutSummary(
        id, runId, text(memo, "plan"), text(memo, "target"), text(memo, "startedBy"), started,
        execution, "COMPLETED".equals(execution) ? outcome(id, runId) : null);
  }

  /** How an earlier, finished run ended: its result names the terminal state. */
  private RolloutState outcome(String id, String runId) {
    try {
      RolloutResult result =
          client
              .newUntypedWorkflowStub(id, Optional.of(runId), Optional.empty())
              .getResult(5, TimeUnit.SECONDS, RolloutResult.class);
      return result == null || result.outcome() == null
          ? null
          : RolloutState.valueOf(result.outcome().name());
    } catch (Exception unreadable) {
      return null;
    }
  }

  private boolean isLatest(String id, String runId) {
    return calls
        .describe(id)
        .map(d -> d.getWorkflowExecutionInfo().getExecution().getRunId().equals(runId))
        .orElse(false);
  }

  /** The test server's listings carry no memo; a description does. */
  private Map<String, Payload> memo(String id, String runId, WorkflowExecutionInfo info) {
    if (info.hasMemo()) {
      return info.getMemo().getFieldsMap();
    }
    return calls
        .describe(id, runId)
        .map(d -> d.getWorkflowExecutionInfo().getMemo().getFieldsMap())
        .orElse(Map.of());
  }

  private String text(Map<String, Payload> memo, String key) {
    Payload p = memo.get(key);
    return p == null
        ? null
        : client.getOptions().getDataConverter().fromPayload(p, String.class, String.class);
  }

  static boolean matches(String targets, String wanted) {
    return targets != null
        && Arrays.stream(targets.split(",\\s*"))
            .anyMatch(t -> t.equalsIgnoreCase(wanted) || t.split("/")[0].equalsIgnoreCase(wanted));
  }

  private static String execution(WorkflowExecutionStatus status) {
    return Objects.toString(status.name()).replace("WORKFLOW_EXECUTION_STATUS_", "");
  }

  private String namespace() {
    return client.getOptions().getNamespace();
  }

  private WorkflowServiceBlockingStub stub() {
    return client.getWorkflowServiceStubs().blockingStub();
  }
}
