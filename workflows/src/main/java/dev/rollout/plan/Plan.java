package dev.rollout.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A rollout plan: what to roll out, to which targets, in which phases, guarded by which gates.
 * {@code rollbackScope} says whether a failure rolls back only the failing phase's target (the
 * default) or every target the rollout touched. {@code watch}: how long the triggers stay armed after
 * the last phase ("continue monitoring for 2 weeks"); null for no watch.
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
    List<Step> rollback,
    RollbackScope rollbackScope,
    Duration watch) {

  public Plan {
    targets = Lists.copy(targets);
    roles = Lists.copy(roles);
    resources = resources == null ? Resources.NONE : resources;
    metrics = Lists.copy(metrics);
    triggers = Lists.copy(triggers);
    phases = Lists.copy(phases);
    timeZone = timeZone == null ? "UTC" : timeZone;
    rollback = Lists.copy(rollback);
    rollbackScope = rollbackScope == null ? RollbackScope.TARGET : rollbackScope;
  }

  /** A plan without plan-wide rollback steps, scope or watch. */
  public Plan(
      String apiVersion, String name, String version, String description, List<Target> targets,
      String timeZone, List<String> roles, Resources resources, Map<String, MetricQuery> metrics,
      List<Gate> triggers, List<Phase> phases, Notifications notifications) {
    this(apiVersion, name, version, description, targets, timeZone, roles, resources, metrics, triggers,
        phases, notifications, null, null, null);
  }

  /** A plan with plan-wide rollback steps, without scope or watch. */
  public Plan(
      String apiVersion, String name, String version, String description, List<Target> targets,
      String timeZone, List<String> roles, Resources resources, Map<String, MetricQuery> metrics,
      List<Gate> triggers, List<Phase> phases, Notifications notifications, List<Step> rollback) {
    this(apiVersion, name, version, description, targets, timeZone, roles, resources, metrics, triggers,
        phases, notifications, rollback, null, null);
  }

  /** A plan without plan-wide rollback steps, with scope and watch. */
  public Plan(
      String apiVersion, String name, String version, String description, List<Target> targets,
      String timeZone, List<String> roles, Resources resources, Map<String, MetricQuery> metrics,
      List<Gate> triggers, List<Phase> phases, Notifications notifications, RollbackScope rollbackScope,
      Duration watch) {
    this(apiVersion, name, version, description, targets, timeZone, roles, resources, metrics, triggers,
        phases, notifications, null, rollbackScope, watch);
  }

  /**
   * The target a phase acts on: the one its {@code target} names, else the plan's first (the only
   * one: the validator asks every phase of a plan with several targets to name its own).
   */
  public Target targetOf(Phase phase) {
    if (phase != null && phase.target() != null) {
      for (Target t : targets) {
        if (t != null && t.isNamed(phase.target())) return t;
      }
    }
    return targets.isEmpty() ? null : targets.get(0);
  }
}
