package dev.rollout.activities.metrics.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.activities.MetricActivities.BoundMetric;
import dev.rollout.activities.MetricActivities.JudgeResult;
import dev.rollout.activities.MetricActivities.Verdict;
import dev.rollout.activities.metrics.MetricActivitiesImpl;
import dev.rollout.activities.metrics.Poll;
import dev.rollout.plan.CanaryAnalysis;
import dev.rollout.plan.CanaryAnalysis.JudgeMetric;
import dev.rollout.plan.MetricQuery;
import dev.rollout.plan.Target;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The canary judge on real Prometheus range queries: a canary track with its own latency against the stable one. */
@Tag("integration")
class CanaryJudgeIntegrationTest {
  static final Duration LOOKBACK = Duration.ofSeconds(20);

  LivePrometheus prometheus;
  SwitchableService service;
  Target target;
  MetricActivitiesImpl activities;

  @BeforeEach
  void start() {
    prometheus = LivePrometheus.require();
    target = new Target("judge-" + UUID.randomUUID().toString().substring(0, 8), "it");
    service = prometheus.serve(target);
    activities = new MetricActivitiesImpl(prometheus.providers(), Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    if (service != null) service.close();
  }

  JudgeResult judge() {
    Map<String, BoundMetric> metrics = Map.of(
        "p95_canary", new BoundMetric("p95_canary", new MetricQuery("prometheus", LivePrometheus.P95_CANARY, "s", null), prometheus.source),
        "p95_stable", new BoundMetric("p95_stable", new MetricQuery("prometheus", LivePrometheus.P95_STABLE, "s", null), prometheus.source));
    CanaryAnalysis analysis = new CanaryAnalysis(
        List.of(new JudgeMetric("p95 latency", "p95_canary", "p95_stable", "increase", 0.10, true)), null, LOOKBACK,
        null, null, null);
    return activities.judge("it", target, analysis, metrics);
  }

  /** Waits until Prometheus holds a full lookback of both tracks' (rate-based) values. */
  void awaitLookback() {
    Poll.until(() -> prometheus.samples(LivePrometheus.P95_CANARY, target.service(), LOOKBACK), n -> n >= 19,
        Duration.ofSeconds(60));
  }

  @Test
  void aCanaryTwiceAsSlowFailsTheCriticalLatencyMetric() {
    service.latency(Duration.ofMillis(50));
    service.canaryLatency(Duration.ofMillis(100));
    awaitLookback();
    JudgeResult result = judge();
    assertThat(result.metrics().get(0).classification()).isEqualTo("High");
    assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(result.score()).isEqualTo(0.0);
  }

  @Test
  void aCanaryLikeTheBaselinePasses() {
    service.latency(Duration.ofMillis(50));
    service.canaryLatency(Duration.ofMillis(50));
    awaitLookback();
    JudgeResult result = judge();
    assertThat(result.metrics().get(0).classification()).isEqualTo("Pass");
    assertThat(result.verdict()).isEqualTo(Verdict.PASS);
    assertThat(result.score()).isEqualTo(100.0);
  }
}
