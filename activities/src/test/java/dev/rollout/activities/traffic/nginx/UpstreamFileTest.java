package dev.rollout.activities.traffic.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.activities.traffic.Weights;
import org.junit.jupiter.api.Test;

class UpstreamFileTest {

  static final String FILE = """
      # managed by rollout
      upstream other {
          server 127.0.0.1:9000 weight=3;
      }
      upstream app {
          server 127.0.0.1:58081 weight=100 max_fails=2;
          server 127.0.0.1:58082 down;
          keepalive 8;
      }
      """;

  @Test
  void readsDownAsZeroAndWeightsAsWritten() {
    Weights w = new UpstreamFile(FILE).weights("app", "127.0.0.1:58081", "127.0.0.1:58082");

    assertThat(w).isEqualTo(new Weights(100, 0));
    assertThat(w.percent()).isZero();
  }

  @Test
  void rewritesOnlyTheWeightsOfTheTwoServersOfThatUpstream() {
    String after = new UpstreamFile(FILE).withWeights("app", "127.0.0.1:58081", "127.0.0.1:58082", Weights.of(10)).text();

    assertThat(after).isEqualTo(FILE
        .replace("58081 weight=100 max_fails=2;", "58081 max_fails=2 weight=9;")
        .replace("58082 down;", "58082 weight=1;"));
  }

  @Test
  void zeroWeightBecomesDownBecauseNginxRejectsWeightZero() {
    String after = new UpstreamFile(FILE).withWeights("app", "127.0.0.1:58081", "127.0.0.1:58082", Weights.of(100)).text();

    assertThat(after).contains("server 127.0.0.1:58081 max_fails=2 down;", "server 127.0.0.1:58082 weight=1;");
    assertThat(new UpstreamFile(after).weights("app", "127.0.0.1:58081", "127.0.0.1:58082").percent()).isEqualTo(100);
  }

  @Test
  void aMissingUpstreamOrServerIsNamed() {
    assertThatThrownBy(() -> new UpstreamFile(FILE).weights("api", "a", "b")).hasMessageContaining("upstream api");
    assertThatThrownBy(() -> new UpstreamFile(FILE).withWeights("app", "127.0.0.1:58081", "127.0.0.1:9999", Weights.of(5)))
        .hasMessageContaining("server 127.0.0.1:9999");
  }
}
