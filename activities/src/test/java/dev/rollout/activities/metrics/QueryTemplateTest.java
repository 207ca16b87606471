package dev.rollout.activities.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.plan.Target;
import org.junit.jupiter.api.Test;

class QueryTemplateTest {
  static final Target TARGET = new Target("drivemind", "production");

  @Test
  void fillsServiceAndEnvironment() {
    assertThat(QueryTemplate.fill("errors", "sum(rate(x{service=\"${service}\",env=\"${environment}\"}[5m]))", TARGET))
        .isEqualTo("sum(rate(x{service=\"drivemind\",env=\"production\"}[5m]))");
  }

  @Test
  void anUnknownPlaceholderIsNamed() {
    assertThatThrownBy(() -> QueryTemplate.fill("errors", "x{region=\"${region}\"}", TARGET))
        .hasMessage("metric 'errors' query uses unknown placeholder ${region} (known: ${service}, ${environment})");
  }

  @Test
  void aLabelValueCannotBreakOutOfItsQuotes() {
    Target hostile = new Target("orders\",job=~\".*", "prod'\\");
    assertThat(QueryTemplate.fill("errors", "x{service=\"${service}\",env='${environment}'}", hostile))
        .isEqualTo("x{service=\"orders\\\",job=~\\\".*\",env='prod\\'\\\\'}");
    assertThatThrownBy(() -> QueryTemplate.fill("errors", "x{service=`${service}`}", new Target("a`b", "prod")))
        .hasMessageContaining("backtick");
  }
}
