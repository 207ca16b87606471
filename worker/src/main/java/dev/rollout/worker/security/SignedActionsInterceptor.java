package dev.rollout.worker.security;

import dev.rollout.plan.Plan;
import dev.rollout.workflow.RolloutRequest;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.workflow.Workflow;
import java.lang.reflect.RecordComponent;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Checks, before a rollout accepts any Update, that the API signed it for this very run, this
 * plan and these arguments, recently, once. Whoever reaches Temporal directly (the Web UI,
 * {@code temporal workflow update}) cannot produce the signature, so the workflow never sees
 * their action. Runs in the Update's validation, which Temporal does not replay, so reading the
 * clock here does not break determinism; the nonces seen are re-learnt in {@code handleUpdate},
 * which is replayed, so a worker that picks a rollout up again still knows them.
 */
public final class SignedActionsInterceptor extends WorkerInterceptorBase {
  private final SigningKey key;
  private final Duration maxAge;
  private final NonceCache nonces;
  private final Clock clock;

  public SignedActionsInterceptor(SigningKey key, Duration maxAge, Clock clock) {
    this.key = key;
    this.maxAge = maxAge;
    this.clock = clock;
    this.nonces = new NonceCache(maxAge.multipliedBy(2), clock);
  }

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new Inbound(next);
  }

  private final class Inbound extends WorkflowInboundCallsInterceptorBase {
    private Plan plan;
    private String planDigest;
    private final Set<String> seenNonces = new HashSet<>();

    Inbound(WorkflowInboundCallsInterceptor next) {
      super(next);
    }

    @Override
    public WorkflowOutput execute(WorkflowInput input) {
      Object[] args = input.getArguments();
      // The digest is computed when an Update first comes (below), not here: this runs on every
      // replay, and writing out and hashing the whole plan each time cost CPU on every workflow task.
      if (args.length > 0 && args[0] instanceof RolloutRequest request) plan = request.plan();
      return super.execute(input);
    }

    @Override
    public void validateUpdate(UpdateInput input) {
      SignedAction action = signedAction(input);
      String runId = Workflow.getInfo().getRunId();
      check(action.macValid(key), "its signature is not the API's");
      check(input.getUpdateName().equals(action.kind()),
          "it was signed for '" + action.kind() + "', not '" + input.getUpdateName() + "'");
      check(runId.equals(action.runId()), "it was signed for another run of this rollout");
      if (planDigest == null && plan != null) planDigest = PlanDigest.of(plan);
      check(planDigest != null && planDigest.equals(action.planDigest()),
          "it was signed for another plan (the plan's content digest differs)");
      check(SignedAction.digestOf(input.getArguments()).equals(action.argumentsDigest()),
          "its content was changed after it was signed");
      long age = clock.millis() - action.issuedAtMillis();
      check(age <= maxAge.toMillis() && age >= -Duration.ofMinutes(1).toMillis(),
          "it was signed " + Duration.ofMillis(age).toSeconds() + " s ago; at most "
              + maxAge.toSeconds() + " s are accepted");
      check(!seenNonces.contains(action.nonce()) && nonces.firstUse(action.nonce()),
          "it was already used once (replayed)");
      for (Object argument : input.getArguments()) {
        String user = userOf(argument);
        check(user == null || user.equals(action.principal()),
            "it names '" + user + "' but was signed for '" + action.principal() + "'");
      }
      super.validateUpdate(input);
    }

    @Override
    public UpdateOutput executeUpdate(UpdateInput input) {
      Payload p = input.getHeader().getValues().get(SignedAction.HEADER);
      if (p != null) seenNonces.add(SignedAction.fromPayload(p).nonce());
      return super.executeUpdate(input);
    }
  }

  private static SignedAction signedAction(WorkflowInboundCallsInterceptor.UpdateInput input) {
    Payload p = input.getHeader().getValues().get(SignedAction.HEADER);
    check(p != null, "it is not signed by the rollout API (act through the API or the CLI, not Temporal directly)");
    try {
      return SignedAction.fromPayload(p);
    } catch (RuntimeException e) {
      throw refused("its signature header is unreadable");
    }
  }

  /** The {@code user} component of an action record, or null when it has none. */
  static String userOf(Object argument) {
    if (argument == null || !argument.getClass().isRecord()) return null;
    for (RecordComponent c : argument.getClass().getRecordComponents()) {
      if (c.getName().equals("user") && c.getType() == String.class) {
        try {
          return (String) c.getAccessor().invoke(argument);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return null;
  }

  private static void check(boolean ok, String why) {
    if (!ok) throw refused(why);
  }

  private static SecurityException refused(String why) {
    return new SecurityException("refused: " + why);
  }
}
