package dev.rollout.client;

import dev.rollout.workflow.RolloutResult;
import dev.rollout.workflow.RolloutState;
import dev.rollout.workflow.RolloutStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.filter.v1.WorkflowExecutionFilter;
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
 * Lists rollouts on a real cluster and on the embedded test server alike. A real cluster answers
 * visibility queries (ListWorkflowExecutions); the test server does not (UNIMPLEMENTED) but does
 * answer the legacy open/closed listings, so those are the fallback.
 */
final class RolloutLister {
  static final String WORKFLOW_TYPE = "RolloutWorkflow";
  /** Listing asks every rollout for its status: keep the listing to the newest ones. */
  static final int LIMIT = 200;

  private final WorkflowClient client;
  private final RolloutCalls calls;

  RolloutLister(WorkflowClient client, RolloutCalls calls) {
    this.client = client;
    this.calls = calls;
  }

  List<RolloutSummary> list(String target, RolloutState state) {
    return executions().stream()
        .map(this::summarise)
        .filter(s -> target == null || target.isBlank() || matches(s.target(), target.strip()))
        .filter(s -> state == null || s.state() == state)
        .toList();
  }

  /**
   * Every run of one rollout id, newest first: on a real cluster a visibility query on the id, on
   * the test server the legacy listings filtered by the id (both answered there). Each run's state
   * is its own: the result of a completed run, else its status query, answered from its history.
   */
  List<RolloutRun> runs(String rolloutId) {
    List<WorkflowExecutionInfo> found;
    try {
      found = visibilityQuery("WorkflowType = '" + WORKFLOW_TYPE + "' AND WorkflowId = '" + quoted(rolloutId) + "'");
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) throw e;
      found = legacyListings(WorkflowExecutionFilter.newBuilder().setWorkflowId(rolloutId).build());
    }
    List<WorkflowExecutionInfo> runs = newestFirst(found.stream()
        .filter(i -> i.getExecution().getWorkflowId().equals(rolloutId)).toList());
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

  /** Rollout ids are names ({@code rollout-<service>.<env>}); a quote could never be part of one. */
  private static String quoted(String rolloutId) {
    if (rolloutId.contains("'") || rolloutId.contains("\\")) throw new RolloutNotFoundException(rolloutId);
    return rolloutId;
  }

  private static Instant instant(com.google.protobuf.Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  private static List<WorkflowExecutionInfo> newestFirst(List<WorkflowExecutionInfo> found) {
    Map<String, WorkflowExecutionInfo> byRun = new LinkedHashMap<>();
    found.stream()
        .filter(i -> i.getType().getName().equals(WORKFLOW_TYPE))
        .sorted(Comparator.comparing((WorkflowExecutionInfo i) -> i.getStartTime().getSeconds())
            .thenComparing(i -> i.getStartTime().getNanos()).reversed())
        .forEach(i -> byRun.putIfAbsent(i.getExecution().getRunId(), i));
    return List.copyOf(byRun.values());
  }

  /** Rollout executions, newest first, each run once. */
  List<WorkflowExecutionInfo> executions() {
    List<WorkflowExecutionInfo> found;
    try {
      found = visibilityQuery("WorkflowType = '" + WORKFLOW_TYPE + "'");
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
        throw e;
      }
      found = legacyListings(null);
    }
    return newestFirst(found).stream().limit(LIMIT).toList();
  }

  private List<WorkflowExecutionInfo> visibilityQuery(String query) {
    return stub()
        .listWorkflowExecutions(
            ListWorkflowExecutionsRequest.newBuilder()
                .setNamespace(namespace())
                .setQuery(query)
                .setPageSize(LIMIT)
                .build())
        .getExecutionsList();
  }

  /** By workflow type, or (a filter given) by workflow id: the legacy calls take one filter. */
  private List<WorkflowExecutionInfo> legacyListings(WorkflowExecutionFilter byId) {
    WorkflowTypeFilter type = WorkflowTypeFilter.newBuilder().setName(WORKFLOW_TYPE).build();
    var open = ListOpenWorkflowExecutionsRequest.newBuilder().setNamespace(namespace()).setMaximumPageSize(LIMIT);
    var closed = ListClosedWorkflowExecutionsRequest.newBuilder().setNamespace(namespace()).setMaximumPageSize(LIMIT);
    if (byId == null) {
      open.setTypeFilter(type);
      closed.setTypeFilter(type);
    } else {
      open.setExecutionFilter(byId);
      closed.setExecutionFilter(byId);
    }
    List<WorkflowExecutionInfo> all = new ArrayList<>();
    all.addAll(stub().listOpenWorkflowExecutions(open.build()).getExecutionsList());
    all.addAll(stub().listClosedWorkflowExecutions(closed.build()).getExecutionsList());
    return all;
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
