package dev.rollout.worker.security;

import dev.rollout.plan.Plan;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.HexFormat;

/**
 * The content digest of a plan: SHA-256 of the plan as Temporal's standard data converter writes
 * it. The API computes it when it starts a rollout (and keeps it in the memo), the worker from the
 * run's input; a signed action names it, so an approval given for one plan never counts for
 * another. The format hashed is frozen (Temporal's standard converter, never the payload format
 * rollouts are written in, {@code RolloutPayloads}): an API and a worker of different versions, and
 * a digest kept in the memo of a rollout started long ago, must agree.
 */
public final class PlanDigest {
  private PlanDigest() {}

  public static String of(Plan plan) {
    byte[] data = DefaultDataConverter.STANDARD_INSTANCE.toPayload(plan).orElseThrow().getData().toByteArray();
    return "sha256:" + HexFormat.of().formatHex(SignedAction.sha256().digest(data));
  }
}
