package dev.rollout.client;

import dev.rollout.worker.security.SignedAction;
import dev.rollout.worker.security.SigningKey;
import io.temporal.api.common.v1.Payload;
import io.temporal.client.WorkflowUpdateHandle;
import io.temporal.common.interceptors.Header;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptor;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowClientInterceptorBase;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Signs every Update this client sends with the actor the API authenticated ({@link #actingAs}),
 * for the run the Update goes to and the plan that run executes. An Update sent outside {@link
 * #actingAs} leaves unsigned, and the worker refuses it.
 */
public final class SigningClientInterceptor extends WorkflowClientInterceptorBase {
  private static final ThreadLocal<Acting> ACTING = new ThreadLocal<>();

  private final SigningKey key;
  private final Clock clock;

  public SigningClientInterceptor(SigningKey key, Clock clock) {
    this.key = key;
    this.clock = clock;
  }

  record Acting(Actor actor, String planDigest) {}

  /** Runs {@code call} (which sends one Update on this thread) as {@code actor}. */
  static <T> T actingAs(Actor actor, String planDigest, Supplier<T> call) {
    Acting previous = ACTING.get();
    ACTING.set(new Acting(actor, planDigest));
    try {
      return call.get();
    } finally {
      if (previous == null) ACTING.remove(); else ACTING.set(previous);
    }
  }

  /**
   * {@code call} bound to the actor acting on this thread now, for sending from another thread;
   * without it an Update sent from a pool thread would leave unsigned.
   */
  static <T> Supplier<T> carried(Supplier<T> call) {
    Acting acting = ACTING.get();
    if (acting == null) return call;
    return () -> actingAs(acting.actor(), acting.planDigest(), call);
  }

  @Override
  public WorkflowClientCallsInterceptor workflowClientCallsInterceptor(WorkflowClientCallsInterceptor next) {
    return new WorkflowClientCallsInterceptorBase(next) {
      @Override
      public <R> WorkflowUpdateHandle<R> startUpdate(StartUpdateInput<R> input) {
        Acting acting = ACTING.get();
        if (acting == null) return super.startUpdate(input);
        SignedAction signed = SignedAction.sign(key, acting.actor().principal(), acting.actor().roles(),
            input.getUpdateName(), input.getWorkflowExecution().getRunId(), acting.planDigest(),
            input.getArguments(), clock.instant());
        Map<String, Payload> values = new HashMap<>(input.getHeader().getValues());
        values.put(SignedAction.HEADER, signed.toPayload());
        return super.startUpdate(new StartUpdateInput<>(input.getWorkflowExecution(), input.getWorkflowType(),
            input.getUpdateName(), new Header(values), input.getUpdateId(), input.getArguments(),
            input.getResultClass(), input.getResultType(), input.getFirstExecutionRunId(), input.getWaitPolicy()));
      }
    };
  }
}
