package dev.rollout.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CanaryRolloutTest {

  @Test
  void canarySetsTenTwentyFiveFiftyHundredWithItsBakesBetween() {
    RehearsalResult r = Rehearsal.run(TestPlans.canary(), Scenario.HAPPY);
    assertThat(r.result().outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(r.changes()).containsExactly(
        "deploy.setImage(api api:v2)",
        "traffic.setWeight(main 10%)",
        "traffic.setWeight(main 25%)",
        "traffic.setWeight(main 50%)",
        "traffic.setWeight(main 100%)");
    // 1h + 2h + 4h of step bakes and the phase's 24h; the steps themselves take real seconds.
    assertThat(r.simulated()).isBetween(Duration.ofHours(31), Duration.ofHours(31).plusMinutes(1));
  }
}
