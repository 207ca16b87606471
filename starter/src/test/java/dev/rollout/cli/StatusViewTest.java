package dev.rollout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Plans;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StatusViewTest {

  @Test
  void readingsAreRoundedToWhatTheyNeed() {
    assertThat(StatusView.number(26.08527210814999)).isEqualTo("26.09");
    assertThat(StatusView.number(0.012345)).isEqualTo("0.01235");
    assertThat(StatusView.number(1500.0)).isEqualTo("1500");
    assertThat(StatusView.number(0.25)).isEqualTo("0.25");
  }

  @Test
  void anEightWeekPlanBakesLongerThanAnInMemoryServerShouldBeTrustedWith() {
    Duration bakes = StartCommand.plannedBakes(Plans.load(Path.of("../plans/phased-programme-8-weeks.yaml")));
    assertThat(bakes).isEqualTo(Duration.ofDays(56));
    assertThat(bakes).isGreaterThan(StartCommand.IN_MEMORY_LIMIT);
  }
}
