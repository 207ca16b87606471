package dev.rollout.worker.security;

import dev.rollout.plan.Target;
import dev.rollout.workflow.RolloutRequest;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.GlobalDataConverter;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.Header;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The worker's own check of {@link TargetScopes}, for plans that never passed the API (started
 * straight on Temporal): before an activity runs, every secret name, file path, Kubernetes
 * namespace and URL host in its arguments is checked against the scopes of the rollout's targets,
 * and the activity is refused, non-retryably, naming the field, when one is outside.
 *
 * <p>The targets travel with each activity as a header the workflow side of this interceptor
 * writes from the plan the rollout runs (headers are not compared on replay, so adding one
 * changes no workflow command). Resource specs travel as records; the values of env and flag
 * steps (plain maps) are data, not references, and are not checked.
 */
public final class ScopedActivitiesInterceptor extends WorkerInterceptorBase {
  /** The header naming the rollout's targets ({@code service/environment} keys). */
  public static final String HEADER = "rollout-targets";
  /** The failure type of a refused activity. */
  public static final String OUT_OF_SCOPE = "OutOfScope";
  /** Activities whose argument is a bare URL: activity type → (argument index → field name). */
  private static final Map<String, Map<Integer, String>> BARE = Map.of("Probe", Map.of(0, "url"));

  private final TargetScopes scopes;

  public ScopedActivitiesInterceptor(TargetScopes scopes) {
    this.scopes = scopes;
  }

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new Inbound(next);
  }

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new Checked(next);
  }

  /** Learns the plan's targets at the start of each run (and of each replay). */
  private static final class Inbound extends WorkflowInboundCallsInterceptorBase {
    private List<String> targets;

    Inbound(WorkflowInboundCallsInterceptor next) {
      super(next);
    }

    @Override
    public void init(WorkflowOutboundCallsInterceptor outbound) {
      super.init(new WorkflowOutboundCallsInterceptorBase(outbound) {
        @Override
        public <R> ActivityOutput<R> executeActivity(ActivityInput<R> input) {
          if (targets == null) return super.executeActivity(input);
          Map<String, Payload> values = new HashMap<>(input.getHeader().getValues());
          values.put(HEADER, GlobalDataConverter.get().toPayload(targets).orElseThrow());
          return super.executeActivity(new ActivityInput<>(input.getActivityName(), input.getResultClass(),
              input.getResultType(), input.getArgs(), input.getOptions(), new Header(values)));
        }
      });
    }

    @Override
    public WorkflowOutput execute(WorkflowInput input) {
      Object[] args = input.getArguments();
      if (args.length > 0 && args[0] instanceof RolloutRequest request && request.plan() != null) {
        targets = request.plan().targets().stream().map(Target::key).toList();
      }
      return super.execute(input);
    }
  }

  private final class Checked extends ActivityInboundCallsInterceptorBase {
    private String activityType;

    Checked(ActivityInboundCallsInterceptor next) {
      super(next);
    }

    @Override
    public void init(ActivityExecutionContext context) {
      activityType = context.getInfo().getActivityType();
      super.init(context);
    }

    @Override
    public ActivityOutput execute(ActivityInput input) {
      if (scopes.restricts()) refuseOutOfScope(targetsOf(input), input.getArguments());
      return super.execute(input);
    }

    private void refuseOutOfScope(List<Target> targets, Object[] args) {
      List<TargetScopes.Violation> found = new ArrayList<>();
      Map<Integer, String> bare = BARE.getOrDefault(activityType, Map.of());
      for (int i = 0; i < args.length; i++) {
        Object arg = args[i];
        if (bare.containsKey(i) && arg instanceof String value) {
          found.addAll(scopes.checkValue(targets, bare.get(i), value));
        } else if (isSpec(arg)) {
          found.addAll(scopes.check(targets, rootName(arg), arg));
        }
      }
      if (found.isEmpty()) return;
      String targetKeys = targets.isEmpty() ? "(no target)" : targets.stream().map(Target::key).collect(Collectors.joining(", "));
      throw ApplicationFailure.newNonRetryableFailure(
          "refused by the worker: " + found.stream().map(v -> v.field() + ": " + v.message())
              .collect(Collectors.joining("; ")) + " (" + targetKeys + ")",
          OUT_OF_SCOPE);
    }

    private List<Target> targetsOf(ActivityInput input) {
      Payload p = input.getHeader().getValues().get(HEADER);
      if (p == null) {
        throw ApplicationFailure.newNonRetryableFailure(
            "refused by the worker: activity " + activityType + " carries no rollout targets, so its"
                + " scopes cannot be checked (it was not scheduled by a rollout on this worker version)",
            OUT_OF_SCOPE);
      }
      String[] keys = GlobalDataConverter.get().fromPayload(p, String[].class, String[].class);
      List<Target> targets = new ArrayList<>();
      for (String key : keys) {
        int slash = key.lastIndexOf('/');
        targets.add(new Target(key.substring(0, Math.max(slash, 0)), key.substring(slash + 1)));
      }
      return targets;
    }
  }

  /** Resource specs travel as records (or collections of them); plain values and maps of values do not. */
  private static boolean isSpec(Object arg) {
    if (arg == null) return false;
    if (arg.getClass().isRecord()) return true;
    if (arg instanceof Collection<?> c) return c.stream().anyMatch(ScopedActivitiesInterceptor::isSpec);
    if (arg instanceof Map<?, ?> m) return m.values().stream().anyMatch(ScopedActivitiesInterceptor::isSpec);
    return false;
  }

  /** The argument's name in field paths: its type ({@code Nginx.upstreamFile}, {@code Webhook.urlSecret}). */
  private static String rootName(Object arg) {
    if (arg.getClass().isRecord()) return arg.getClass().getSimpleName();
    return "arguments";
  }
}
