package dev.rollout.rehearsal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.rollout.plan.Durations;
import dev.rollout.plan.Quantity;
import dev.rollout.workflow.Actions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What happens during a rehearsal: metric values, people's answers, failures. Everything not
 * scripted goes well: metrics pass their gates, every approval is given, steps succeed.
 *
 * <pre>
 * name: error spike in wave 3
 * start: 2026-03-02T09:00:00Z
 * metrics:
 *   - {metric: error_rate, value: 12%, fromPhase: Wave 3}
 *   - {metric: p99_latency, value: no data, fromPhase: Wave 2}   # the query returns nothing
 * approvals: {"Wave 2": reject}          # or "Wave 2/exit": none (let the deadline pass)
 * decisions: {"Wave 1": continue}        # answer to a hold (default rollback)
 * failures:
 *   - {activity: traffic, method: setWeight, call: 3, message: router unreachable}
 * hangs:
 *   - {activity: deploy, method: setImage, call: 1}   # runs until cancelled (abort tests)
 * </pre>
 *
 * @param start the simulated time the rollout starts (default: now)
 */
public record Scenario(
    String name,
    Instant start,
    List<MetricRule> metrics,
    Map<String, Answer> approvals,
    Map<String, Actions.Choice> decisions,
    List<CallRule> failures,
    List<CallRule> hangs) {

  public static final Scenario HAPPY = new Scenario("happy path", null, null, null, null, null, null);

  public Scenario {
    metrics = metrics == null ? List.of() : List.copyOf(metrics);
    approvals = approvals == null ? Map.of() : Map.copyOf(approvals);
    decisions = decisions == null ? Map.of() : Map.copyOf(decisions);
    failures = failures == null ? List.of() : List.copyOf(failures);
    hangs = hangs == null ? List.of() : List.copyOf(hangs);
  }

  public enum Answer {
    APPROVE,
    REJECT,
    /** Nobody answers: the deadline passes (or, without one, the rehearsal stops waiting). */
    NONE
  }

  /**
   * A metric's value from a phase on, or from an offset after the start (else always).
   *
   * @param value with its unit, e.g. {@code 12%}, {@code 300ms}
   * @param after e.g. {@code 3d}: the value holds from this long after the start
   */
  public record MetricRule(String metric, String value, String fromPhase, String after) {
    /** {@code value: no data}: the metric's query returns nothing while the rule applies. */
    public boolean noData() {
      return value != null && value.trim().equalsIgnoreCase("no data");
    }

    public Quantity quantity() {
      return Quantity.parse(value);
    }

    public Duration afterDuration() {
      return after == null ? Duration.ZERO : Durations.parse(after);
    }
  }

  /**
   * Picks calls: the {@code call}-th invocation (1-based, retries not counted) of {@code
   * activity.method}, or every one when {@code call} is 0, optionally only those whose argument
   * summary contains {@code argsContain}. A failure fails every retry of that invocation; a
   * {@code nonRetryable} one (bad credentials, an unknown database) is not retried at all. With
   * {@code outage} (e.g. {@code 5s}) the failure lasts only that long from the invocation's first
   * attempt: a source down for a few seconds, which retries ride out. {@code type} is the failure's
   * type as a real activity gives it (e.g. {@code MigrationFailed}); default {@code RehearsalFailure}.
   */
  public record CallRule(String activity, String method, int call, String argsContain, String message,
      Boolean nonRetryable, String outage, String type) {
    public CallRule(String activity, String method, int call, String argsContain, String message) {
      this(activity, method, call, argsContain, message, null, null, null);
    }

    public CallRule(String activity, String method, int call, String argsContain, String message, Boolean nonRetryable) {
      this(activity, method, call, argsContain, message, nonRetryable, null, null);
    }

    public CallRule(
        String activity, String method, int call, String argsContain, String message, Boolean nonRetryable, String outage) {
      this(activity, method, call, argsContain, message, nonRetryable, outage, null);
    }

    /** How long the failure lasts from the first attempt; null: every attempt fails. */
    public Duration outageDuration() {
      return outage == null ? null : Durations.parse(outage);
    }
  }

  /** The answer for an approval: "phase/entry" or "phase/exit" first, then "phase", else approve. */
  public Answer answer(String phase, String kind) {
    String k = kind.startsWith("exit") ? "exit" : "entry";
    Answer a = approvals.get(phase + "/" + k);
    if (a == null) a = approvals.get(phase);
    return a == null ? Answer.APPROVE : a;
  }

  /** The answer to a hold in {@code phase}; a rehearsal nobody scripted rolls back. */
  public Actions.Choice decision(String phase) {
    return decisions.getOrDefault(phase, Actions.Choice.ROLLBACK);
  }

  private static final ObjectMapper YAML =
      YAMLMapper.builder()
          .findAndAddModules()
          .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  /** Reads a scenario from YAML or JSON (JSON is YAML). */
  public static Scenario load(Path file) {
    try {
      return YAML.readValue(file.toFile(), Scenario.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read scenario " + file + ": " + e.getMessage(), e);
    }
  }

  public static Scenario parse(String yaml) {
    try {
      return YAML.readValue(yaml, Scenario.class);
    } catch (IOException e) {
      throw new UncheckedIOException("bad scenario: " + e.getMessage(), e);
    }
  }
}
