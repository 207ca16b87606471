package dev.rollout.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
    "30s, PT30S",
    "5m, PT5M",
    "24h, PT24H",
    "7d, PT168H",
    "2w, PT336H",
    "1h30m, PT1H30M",
    "500ms, PT0.5S",
    "1d12h, PT36H",
    "PT24H, PT24H",
    "pt15m, PT15M",
    "P1D, PT24H",
    "' 45s ', PT45S",
  })
  void readsDurationsAsPeopleWriteThem(String text, String iso) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "5", "5 minutes", "1.5h", "-5m", "5x", "h", "PT"})
  void refusesAnythingElseSayingWhatADurationLooksLike(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(RuntimeException.class)
        .satisfies(e -> {
          if (e instanceof IllegalArgumentException && !text.startsWith("P")) {
            assertThat(e).hasMessageContaining("is not a duration (e.g. 30s, 5m, 24h, 2w");
          }
        });
  }

  @ParameterizedTest(name = "{0} is written {1}")
  @CsvSource({"PT336H, 2w", "PT24H, 1d", "PT1H30M, 1h30m", "PT0.5S, 500ms", "PT0S, 0s", "PT90S, 1m30s"})
  void writesTheShortestHumanForm(String iso, String human) {
    assertThat(Durations.format(Duration.parse(iso))).isEqualTo(human);
    assertThat(Durations.parse(human)).isEqualTo(Duration.parse(iso));
  }
}
