package dev.rollout.client;

import dev.rollout.plan.Plan;
import dev.rollout.workflow.RolloutState;
import dev.rollout.workflow.RolloutStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-rollout gauges, read from each running rollout's own status (the workflow is the one source
 * of truth), so they are right however many workers run the rollouts: {@code rollout_phase} (1-based
 * phase number), {@code rollout_canary_weight_percent} (the weight the plan has reached, see
 * {@link PlanProgress}) and {@code rollout_running} (rollouts by state). Refreshed by {@link
 * #refresh()}, which the API calls on a schedule; several API replicas report the same values
 * (aggregate with {@code max}).
 */
public final class RolloutGauges {
  private static final Logger log = LoggerFactory.getLogger(RolloutGauges.class);

  private final RolloutService rollouts;
  private final MultiGauge phase;
  private final MultiGauge weight;
  private final MultiGauge running;
  /** Plans never change for a run: read each once. */
  private final Map<String, Plan> plans = new ConcurrentHashMap<>();

  public RolloutGauges(RolloutService rollouts, MeterRegistry registry) {
    this.rollouts = rollouts;
    this.phase = MultiGauge.builder("rollout_phase").description("1-based number of the phase a running rollout is in")
        .register(registry);
    this.weight = MultiGauge.builder("rollout_canary_weight_percent")
        .description("traffic percentage the rollout's plan has reached").baseUnit("percent").register(registry);
    this.running = MultiGauge.builder("rollout_running").description("running rollouts by state").register(registry);
  }

  /** Reads every running rollout's status and replaces the gauges' rows. */
  public synchronized void refresh() {
    List<MultiGauge.Row<?>> phases = new ArrayList<>();
    List<MultiGauge.Row<?>> weights = new ArrayList<>();
    Map<RolloutState, Integer> byState = new EnumMap<>(RolloutState.class);
    for (RolloutState st : RolloutState.values()) if (!st.terminal()) byState.put(st, 0);
    for (RolloutSummary summary : rollouts.list(null, null)) {
      if (!"RUNNING".equals(summary.execution()) || summary.state() == null) continue;
      try {
        RolloutStatus s = rollouts.status(summary.rolloutId());
        byState.merge(s.state(), 1, Integer::sum);
        Tags tags = Tags.of("rollout_id", s.rolloutId(), "target", s.target(), "plan", s.plan());
        if (s.phaseIndex() >= 0) phases.add(MultiGauge.Row.of(tags, s.phaseIndex() + 1));
        Plan plan = plans.computeIfAbsent(summary.runId(), run -> rollouts.plan(s.rolloutId()));
        PlanProgress.canaryWeight(plan, s).ifPresent(w -> weights.add(MultiGauge.Row.of(tags, w)));
      } catch (RuntimeException e) {
        log.debug("no gauges for {}: {}", summary.rolloutId(), e.getMessage());
      }
    }
    List<MultiGauge.Row<?>> states = new ArrayList<>();
    byState.forEach((st, n) -> states.add(MultiGauge.Row.of(Tags.of("state", st.name()), n)));
    phase.register(phases, true);
    weight.register(weights, true);
    running.register(states, true);
  }
}
