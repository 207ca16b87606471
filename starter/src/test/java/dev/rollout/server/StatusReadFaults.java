package dev.rollout.server;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowUpdateHandle;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptor;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowClientInterceptorBase;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes ONLY the status Query that follows an accepted Update fail, once, for one rollout: the
 * moment the API has recorded a person's action and reads the rollout's whole status to answer.
 * Armed per rollout id, so tests sharing the server are untouched; inert until armed. Picked up by
 * Temporal's Spring Boot starter like every {@code WorkflowClientInterceptor} bean.
 */
public class StatusReadFaults extends WorkflowClientInterceptorBase {

  /** What the status Query does once an Update on the armed rollout has completed. */
  public sealed interface Fault {}

  /** Fails as a query the worker did not answer in time does (gRPC DEADLINE_EXCEEDED). */
  public record TimesOut() implements Fault {}

  /** Answers only after {@code delay}: longer than the API's deadline for it. */
  public record Slow(Duration delay) implements Fault {}

  private record Armed(Fault fault, boolean updated) {}

  private final Map<String, Armed> armed = new ConcurrentHashMap<>();

  /** The first status Query of {@code rolloutId} after its next completed Update meets {@code fault}. */
  public void afterNextUpdate(String rolloutId, Fault fault) {
    armed.put(rolloutId, new Armed(fault, false));
  }

  /** Whether the armed fault was met (false: the status Query after the Update never came). */
  public boolean met(String rolloutId) {
    return !armed.containsKey(rolloutId);
  }

  @Override
  public WorkflowClientCallsInterceptor workflowClientCallsInterceptor(WorkflowClientCallsInterceptor next) {
    return new WorkflowClientCallsInterceptorBase(next) {
      @Override
      public <R> WorkflowUpdateHandle<R> startUpdate(StartUpdateInput<R> input) {
        WorkflowUpdateHandle<R> handle = super.startUpdate(input);
        armed.computeIfPresent(input.getWorkflowExecution().getWorkflowId(), (id, a) -> new Armed(a.fault(), true));
        return handle;
      }

      @Override
      public <R> QueryOutput<R> query(QueryInput<R> input) {
        String id = input.getWorkflowExecution().getWorkflowId();
        Armed a = armed.get(id);
        // The API reads the status after an action of the run it acted on (a run id); the gauges'
        // background reads name none, so they never take the fault meant for the action's read.
        boolean afterAction = a != null && a.updated() && input.getQueryType().equals("status")
            && !input.getWorkflowExecution().getRunId().isEmpty();
        if (!afterAction || !armed.remove(id, a)) {
          return super.query(input);
        }
        if (a.fault() instanceof Slow slow) {
          sleep(slow.delay());
          return super.query(input);
        }
        throw new StatusRuntimeException(
            Status.DEADLINE_EXCEEDED.withDescription("injected: the worker did not answer the status query in time"));
      }
    };
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
