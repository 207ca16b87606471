package dev.rollout.plan;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Map;

/** Where metric values come from; the {@code type} picks one. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = MetricSource.Prometheus.class, name = "prometheus"),
  @JsonSubTypes.Type(value = MetricSource.Scrape.class, name = "scrape"),
  @JsonSubTypes.Type(value = MetricSource.Scripted.class, name = "scripted"),
})
public sealed interface MetricSource {

  List<String> TYPES = List.of("prometheus", "scrape", "scripted");

  /** The Prometheus HTTP API at {@code url}. */
  record Prometheus(String url) implements MetricSource {}

  /** A Prometheus-format endpoint read directly, e.g. {@code /actuator/prometheus}. */
  record Scrape(String url) implements MetricSource {}

  /** Fixed values, for rehearsals and tests: metric name → value. */
  record Scripted(Map<String, Double> values) implements MetricSource {
    public Scripted {
      values = Lists.copy(values);
    }
  }
}
