package dev.rollout.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuantityTest {

  @ParameterizedTest(name = "{0} = {1} {2}, {3} in base units")
  @CsvSource({
    "200ms, 200, MILLISECONDS, 0.2",
    "1%, 1, PERCENT, 0.01",
    "0.1%, 0.1, PERCENT, 0.001",
    "120MB, 120, MEGABYTES, 120000000",
    "120mb, 120, MEGABYTES, 120000000",
    "2GiB, 2, GIBIBYTES, 2147483648",
    "1.5s, 1.5, SECONDS, 1.5",
    "5m, 5, MINUTES, 300",
    "0.7, 0.7, NONE, 0.7",
    "-20%, -20, PERCENT, -0.2",
    "+20 %, 20, PERCENT, 0.2",
  })
  void readsNumbersWithTheUnitPeopleWrote(String text, double value, Quantity.Unit unit, double base) {
    Quantity q = Quantity.parse(text);

    assertThat(q).isEqualTo(new Quantity(value, unit));
    assertThat(q.base()).isCloseTo(base, within(1e-9));
  }

  @ParameterizedTest
  @CsvSource({"200ms, 200ms", "1%, 1%", "0.1%, 0.1%", "120mb, 120MB", "0.7, 0.7", "+20 %, 20%"})
  void writesItselfBackAsWritten(String text, String written) {
    assertThat(Quantity.parse(text).toString()).isEqualTo(written);
  }

  @Test
  void refusesUnknownUnitsListingTheKnownOnes() {
    assertThatThrownBy(() -> Quantity.parse("200 parsecs"))
        .hasMessage("'200 parsecs' has an unknown unit 'parsecs' (known: %, pp, ms, s, m, B, KB, MB, GB, KiB, MiB, GiB)");
    assertThatThrownBy(() -> Quantity.parse("fast"))
        .hasMessage("'fast' is not a number with a unit (e.g. 200ms, 1%, 120MB)");
  }

  @Test
  void bindsFromTextAndFromBareNumbersAndSurvivesJackson() throws Exception {
    ObjectMapper mapper = Plans.mapper();

    assertThat(mapper.readValue("\"120MB\"", Quantity.class)).isEqualTo(new Quantity(120, Quantity.Unit.MEGABYTES));
    assertThat(mapper.readValue("0.7", Quantity.class)).isEqualTo(Quantity.of(0.7));
    assertThat(mapper.readValue("3", Quantity.class)).isEqualTo(Quantity.of(3));
    Quantity q = Quantity.parse("250ms");
    assertThat(mapper.readValue(mapper.writeValueAsString(q), Quantity.class)).isEqualTo(q);
  }
}
