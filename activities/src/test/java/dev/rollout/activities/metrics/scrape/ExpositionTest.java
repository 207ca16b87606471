package dev.rollout.activities.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpositionTest {

  @Test
  void readsNamesLabelsAndValuesSkippingComments() {
    String text = """
        # HELP http_requests_total Requests served
        # TYPE http_requests_total counter
        http_requests_total{service="api",outcome="error"} 12.0
        http_requests_total{service="api",outcome="success",path="/a,b"} 1027 1767578400000
        process_uptime_seconds 3.5
        http_latency_seconds{quantile="0.95",note="say \\"hi\\""} +Inf
        """;
    List<Exposition.Line> lines = Exposition.parse(text);
    assertThat(lines).containsExactly(
        new Exposition.Line("http_requests_total", Map.of("service", "api", "outcome", "error"), 12.0),
        new Exposition.Line("http_requests_total", Map.of("service", "api", "outcome", "success", "path", "/a,b"), 1027),
        new Exposition.Line("process_uptime_seconds", Map.of(), 3.5),
        new Exposition.Line("http_latency_seconds", Map.of("quantile", "0.95", "note", "say \"hi\""),
            Double.POSITIVE_INFINITY));
  }

  @Test
  void aLineThatIsNotTheFormatIsNamedByNumberNotContent() {
    // The page's content never goes into an error (and so into history): the URL may serve anything.
    assertThatThrownBy(() -> Exposition.parse("ok 1\n<html>oops</html>\n"))
        .hasMessageContaining("line 2").hasMessageNotContaining("<html>");
  }
}
