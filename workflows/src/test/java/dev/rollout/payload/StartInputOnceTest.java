package dev.rollout.payload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Plan;
import dev.rollout.plan.Plans;
import dev.rollout.workflow.RolloutRequest;
import dev.rollout.workflow.RolloutResult;
import dev.rollout.workflow.Outcome;
import io.temporal.api.common.v1.Payload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A rollout's start input is parsed once per workflow instance: the SDK's second decode of the same
 * payload (constructor, then workflow method) gets the first one's request; a third decode, an equal
 * payload of another history, or any other type is parsed anew, so no two instances share a request.
 */
class StartInputOnceTest {

  private static RolloutRequest request() throws Exception {
    Path file = RolloutPayloadsTest.seedPlans().get(0);
    Plan plan = Plans.parse(Files.readString(file), file.getFileName().toString());
    return new RolloutRequest("rollout-" + plan.name(), plan, "alice", "test");
  }

  @Test
  void theSecondDecodeOfTheSamePayloadGetsTheFirstOnesRequestAndOnlyThatOne() throws Exception {
    Payload payload = RolloutPayloads.CONVERTER.toPayload(request()).orElseThrow();
    Payload equal = Payload.parseFrom(payload.toByteArray());
    assertThat(equal).isEqualTo(payload).isNotSameAs(payload);

    RolloutRequest constructor = RolloutPayloads.CONVERTER.fromPayload(payload, RolloutRequest.class, RolloutRequest.class);
    RolloutRequest method = RolloutPayloads.CONVERTER.fromPayload(payload, RolloutRequest.class, RolloutRequest.class);
    RolloutRequest third = RolloutPayloads.CONVERTER.fromPayload(payload, RolloutRequest.class, RolloutRequest.class);
    RolloutRequest otherHistory = RolloutPayloads.CONVERTER.fromPayload(equal, RolloutRequest.class, RolloutRequest.class);

    assertThat(method).isSameAs(constructor);
    assertThat(third).isNotSameAs(constructor).isEqualTo(constructor);
    assertThat(otherHistory).isNotSameAs(constructor).isNotSameAs(third).isEqualTo(constructor);
    assertThat(constructor).isEqualTo(request());
  }

  @Test
  void otherTypesAreParsedOnEveryDecode() {
    RolloutResult result = new RolloutResult(Outcome.COMPLETED, null, null, null, List.of());
    Payload payload = RolloutPayloads.CONVERTER.toPayload(result).orElseThrow();
    RolloutResult first = RolloutPayloads.CONVERTER.fromPayload(payload, RolloutResult.class, RolloutResult.class);
    RolloutResult second = RolloutPayloads.CONVERTER.fromPayload(payload, RolloutResult.class, RolloutResult.class);
    assertThat(second).isNotSameAs(first).isEqualTo(first);
  }
}
