package dev.rollout.activities.metrics.scripted;

import dev.rollout.activities.metrics.MetricProvider;
import dev.rollout.activities.metrics.MetricRequest;
import dev.rollout.activities.metrics.Sample;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Values written down rather than measured, for rehearsals and tests: by metric name (or, failing
 * that, by query). A {@link Script} can make them change over time; a name with no value is no data.
 */
public class ScriptedProvider implements MetricProvider {

  /** The value of a metric at a moment, or null for no data. */
  @FunctionalInterface
  public interface Script {
    Double value(String metric, Instant at);
  }

  private final Script script;
  private final Clock clock;

  /** Fixed values from the plan's {@code scripted} source. */
  public ScriptedProvider(Map<String, Double> values, Clock clock) {
    this((metric, at) -> values.get(metric), clock);
  }

  public ScriptedProvider(Script script, Clock clock) {
    this.script = script;
    this.clock = clock;
  }

  @Override
  public Optional<Sample> instant(MetricRequest request) {
    Instant now = clock.instant();
    return Optional.ofNullable(value(request, now)).map(v -> new Sample(now, v));
  }

  @Override
  public List<Sample> range(MetricRequest request, Duration window, Duration step) {
    Instant end = clock.instant();
    List<Sample> samples = new ArrayList<>();
    Duration every = step.isZero() || step.isNegative() ? Duration.ofSeconds(1) : step;
    for (Instant t = end.minus(window); !t.isAfter(end); t = t.plus(every)) {
      Double v = value(request, t);
      if (v != null) samples.add(new Sample(t, v));
    }
    return samples;
  }

  private Double value(MetricRequest request, Instant at) {
    Double byName = script.value(request.metric(), at);
    return byName != null ? byName : script.value(request.query(), at);
  }
}
