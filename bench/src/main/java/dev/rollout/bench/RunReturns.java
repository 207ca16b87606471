package dev.rollout.bench;

import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.workflow.Workflow;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Learns, inside the worker, when each workflow's run method has returned (in a live task, not
 * while replaying) and what it returned: the bench waits on this instead of one {@code getResult}
 * long poll per rollout, which went through the same in-process server while it rolled back.
 * Costs a map write per finished run. The close time the bench reports is still the server's (read
 * from each history afterwards); a return is followed by its task's completion within milliseconds.
 */
final class RunReturns extends WorkerInterceptorBase {
  private final Map<String, Optional<Object>> results = new ConcurrentHashMap<>();

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new WorkflowInboundCallsInterceptorBase(next) {
      @Override
      public WorkflowOutput execute(WorkflowInput input) {
        WorkflowOutput output = super.execute(input);
        if (!Workflow.isReplaying()) {
          results.put(Workflow.getInfo().getWorkflowId(), Optional.ofNullable(output.getResult()));
        }
        return output;
      }
    };
  }

  /** How many workflows have returned so far (each counted once). */
  int size() {
    return results.size();
  }

  /** How many of {@code workflowIds} have returned. */
  int returned(Collection<String> workflowIds) {
    int n = 0;
    for (String id : workflowIds) if (results.containsKey(id)) n++;
    return n;
  }

  /** What the run method of {@code workflowId} returned; empty if it has not returned (or returned null). */
  Optional<Object> result(String workflowId) {
    return results.getOrDefault(workflowId, Optional.empty());
  }
}
