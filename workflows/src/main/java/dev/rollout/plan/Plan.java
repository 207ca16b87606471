package dev.rollout.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A rollout plan: what to roll out, to which targets, in which phases, guarded by which gates.
 *
 * <p>The plan travels in workflow history (as Temporal's Jackson payload), so it holds only
 * records, enums, strings, numbers, {@link java.time.Duration}s and {@link Quantity}s, and never a
 * secret: resources name their secrets and activities resolve them.
 *
 * @param rollback plan-wide emergency steps (a kill switch) run first in every rollback, before the
 *     phases' own rollback steps and the automatic undos
 */
public record Plan(
    String apiVersion,
    String name,
    String version,
    String description,
    List<Target> targets,
    String timeZone,
    List<String> roles,
    Resources resources,
    Map<String, MetricQuery> metrics,
    @JsonProperty("triggers") List<Gate> triggers,
    List<Phase> phases,
    Notifications notifications,
    List<Step> rollback) {

  public Plan {
    targets = Lists.copy(targets);
    roles = Lists.copy(roles);
    resources = resources == null ? Resources.NONE : resources;
    metrics = Lists.copy(metrics);
    triggers = Lists.copy(triggers);
    phases = Lists.copy(phases);
    timeZone = timeZone == null ? "UTC" : timeZone;
    rollback = Lists.copy(rollback);
  }

  /** A plan without plan-wide rollback steps. */
  public Plan(
      String apiVersion, String name, String version, String description, List<Target> targets,
      String timeZone, List<String> roles, Resources resources, Map<String, MetricQuery> metrics,
      List<Gate> triggers, List<Phase> phases, Notifications notifications) {
    this(apiVersion, name, version, description, targets, timeZone, roles, resources, metrics, triggers,
        phases, notifications, null);
  }
}
