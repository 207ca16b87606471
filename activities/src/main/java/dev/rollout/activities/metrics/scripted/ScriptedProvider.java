package dev.rollout.activities.metrics.scripted;

import dev.rollout.activities.gates.Sample;
import dev.rollout.activities.metrics.MetricProvider;
import dev.rollout.activities.metrics.MetricRequest;
import dev.rollout.plan.MetricSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Values written down rather than measured, for rehearsals and tests: by metric name (or, failing
 * that, by query). By default the plan's {@code scripted} source's fixed values; a {@link Script}
 * can make them change over time. A name with no value is no data.
 */
public class ScriptedProvider implements MetricProvider<MetricSource.Scripted> {

  /** The value of a metric at a moment, or null for no data. */
  @FunctionalInterface
  public interface Script {
    Double value(MetricSource.Scripted source, String metric, Instant at);
  }

  private final Script script;

  /** The fixed values each plan's {@code scripted} source declares. */
  public ScriptedProvider() {
    this((source, metric, at) -> source.values().get(metric));
  }

  public ScriptedProvider(Script script) {
    this.script = script;
  }

  @Override
  public Class<MetricSource.Scripted> type() {
    return MetricSource.Scripted.class;
  }

  @Override
  public Optional<Sample> instant(MetricSource.Scripted source, MetricRequest request, Instant at) {
    return Optional.ofNullable(value(source, request, at)).map(v -> new Sample(at, v));
  }

  @Override
  public List<Sample> range(
      MetricSource.Scripted source, MetricRequest request, Instant end, Duration window, Duration step) {
    List<Sample> samples = new ArrayList<>();
    Duration every = step.isZero() || step.isNegative() ? Duration.ofSeconds(1) : step;
    for (Instant t = end.minus(window); !t.isAfter(end); t = t.plus(every)) {
      Double v = value(source, request, t);
      if (v != null) samples.add(new Sample(t, v));
    }
    return samples;
  }

  private Double value(MetricSource.Scripted source, MetricRequest request, Instant at) {
    Double byName = script.value(source, request.metric(), at);
    return byName != null ? byName : script.value(source, request.query(), at);
  }
}
