package dev.rollout.activities.flags;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagValuesTest {

  @Test
  void valuesSurviveAStringStoreRoundTrip() {
    for (Object value : List.of("on", true, false, 10, 12.5, List.of("eu", "us"), Map.of("percent", 5))) {
      assertThat(FlagValues.decode(FlagValues.encode(value))).isEqualTo(value);
    }
  }

  @Test
  void textThatOnlyLooksLikeJsonStaysText() {
    assertThat(FlagValues.decode("null")).isEqualTo("null");
    assertThat(FlagValues.decode("{not json")).isEqualTo("{not json");
    assertThat(FlagValues.decode("v1.2")).isEqualTo("v1.2");
    assertThat(FlagValues.decode(null)).isNull();
  }
}
