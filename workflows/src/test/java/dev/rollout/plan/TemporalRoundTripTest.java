package dev.rollout.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.file.Path;
import java.util.Optional;
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
}
