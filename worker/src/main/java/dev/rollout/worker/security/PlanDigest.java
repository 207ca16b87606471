package dev.rollout.worker.security;

import dev.rollout.plan.Plan;
import io.temporal.common.converter.GlobalDataConverter;
import java.util.HexFormat;

/**
 * The content digest of a plan: SHA-256 of the plan as Temporal's data converter writes it. The
 * API computes it when it starts a rollout (and keeps it in the memo), the worker from the run's
 * input; a signed action names it, so an approval given for one plan never counts for another.
 */
public final class PlanDigest {
  private PlanDigest() {}

  public static String of(Plan plan) {
    byte[] data = GlobalDataConverter.get().toPayload(plan).orElseThrow().getData().toByteArray();
    return "sha256:" + HexFormat.of().formatHex(SignedAction.sha256().digest(data));
  }
}
