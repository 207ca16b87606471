package dev.rollout.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The plan travels in workflow history through Temporal's own Jackson converter: it must survive. */
class TemporalRoundTripTest {

  static java.util.List<Path> seedPlans() {
    return SeedPlans.files();
  }

  @ParameterizedTest
  @MethodSource("seedPlans")
  void everySeedPlanSurvivesTemporalsDataConverter(Path file) {
    Plan plan = Plans.load(file);
    DataConverter temporal = DefaultDataConverter.STANDARD_INSTANCE;

    Optional<Payloads> payloads = temporal.toPayloads(plan);
    Plan back = temporal.fromPayloads(0, payloads, Plan.class, Plan.class);

    assertThat(back).isEqualTo(plan);
  }

  @ParameterizedTest
  @MethodSource("seedPlans")
  void everySeedPlanSurvivesThePlanMapper(Path file) throws Exception {
    Plan plan = Plans.load(file);

    String json = Plans.mapper().writeValueAsString(plan);

    assertThat(Plans.parse(json, file + " (rewritten)")).isEqualTo(plan);
  }

  /** Two phases, the first without a bake (steps, then on at once), the second with one. */
  private static final String NO_BAKE = """
      name: no-bake
      targets: [{service: shop, environment: production}]
      roles: [DevOps]
      resources:
        routers:
          edge: {type: proxy, adminUrl: "http://127.0.0.1:9000"}
      phases:
        - name: canary
          steps:
            - {kind: traffic, router: edge, percent: 10}
        - name: everyone
          bake: 1h
          steps:
            - {kind: traffic, router: edge, percent: 100}
      """;

  @Test
  void aPhaseWithoutABakeIsWrittenWithoutOneAndValidatesAgain() throws Exception {
    Plan plan = Plans.parse(NO_BAKE, "no-bake.yaml");

    // written back out by the plan mapper (what `rollout` shows and sends)
    String json = Plans.mapper().writeValueAsString(plan);
    assertThat(Plans.mapper().readTree(json).get("phases").get(0).has("bake")).as(json).isFalse();
    assertThat(Plans.parse(json, "no-bake.json")).isEqualTo(plan);

    // through workflow history (Temporal's own converter), then written out and validated again
    DataConverter temporal = DefaultDataConverter.STANDARD_INSTANCE;
    Plan fromHistory = temporal.fromPayloads(0, temporal.toPayloads(plan), Plan.class, Plan.class);
    assertThat(fromHistory).isEqualTo(plan);
    String rewritten = Plans.mapper().writeValueAsString(fromHistory);
    assertThat(Plans.parse(rewritten, "no-bake (from history).json")).isEqualTo(plan);
    assertThat(Plans.parse(rewritten, "no-bake (from history).json").phases().get(1).bake()).isEqualTo(Duration.ofHours(1));
  }
}
