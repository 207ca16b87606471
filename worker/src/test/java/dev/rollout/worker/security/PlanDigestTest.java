package dev.rollout.worker.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.payload.RolloutPayloads;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Plans;
import dev.rollout.workflow.Actions;
import dev.rollout.workflow.RolloutRequest;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The digests a signed action carries do not depend on the payload format: an API and a worker of
 * different versions (one writing Temporal's default payloads, one {@link RolloutPayloads}), and the
 * digest kept in the memo of a rollout started before, agree; otherwise every approval would be
 * refused as "signed for another plan".
 */
class PlanDigestTest {
  private static final Plan CANARY = Plans.load(Path.of("..", "plans", "batch-patches-canary.yaml"));

  @Test
  void aSeedPlansDigestIsTheOneEarlierVersionsComputed() {
    // Computed by the API and worker before RolloutPayloads (memos of rollouts in flight hold it).
    assertThat(PlanDigest.of(CANARY))
        .isEqualTo("sha256:b719076e378fb3d52a41920ef4d8b49972b7b8ea36f89814177c39f7c1e93b35");
  }

  @Test
  void theWorkerComputesTheAPIsDigestWhicheverFormatThePlanTravelledIn() {
    RolloutRequest request = new RolloutRequest("rollout-batch-patches.production", CANARY, "alice", "canary.yaml");
    for (DataConverter writer : new DataConverter[] {DefaultDataConverter.STANDARD_INSTANCE, RolloutPayloads.CONVERTER}) {
      for (DataConverter reader : new DataConverter[] {DefaultDataConverter.STANDARD_INSTANCE, RolloutPayloads.CONVERTER}) {
        Payload p = writer.toPayload(request).orElseThrow();
        Plan received = reader.fromPayload(p, RolloutRequest.class, RolloutRequest.class).plan();
        assertThat(PlanDigest.of(received)).isEqualTo(PlanDigest.of(CANARY));
      }
    }
  }

  @Test
  void anUpdatesArgumentDigestDoesNotDependOnTheConverterThatCarriedIt() {
    Object[] signed = {new Actions.Approve("alice", "SRE", null)};
    Payload carried = RolloutPayloads.CONVERTER.toPayload(signed[0]).orElseThrow();
    Object[] received = {DefaultDataConverter.STANDARD_INSTANCE.fromPayload(carried, Actions.Approve.class, Actions.Approve.class)};

    assertThat(carried.getData().toStringUtf8()).doesNotContain("comment");
    // The digest an API of an earlier version signed for these arguments.
    String before = "4e603ee1c187c35c6e3f7c7d79c01a25ac90c9fecffe2fba0721e7bc41d25580";
    assertThat(SignedAction.digestOf(signed)).isEqualTo(before);
    assertThat(SignedAction.digestOf(received)).isEqualTo(before);
  }
}
