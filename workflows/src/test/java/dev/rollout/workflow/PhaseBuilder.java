package dev.rollout.workflow;

import dev.rollout.plan.Approval;
import dev.rollout.plan.Freeze;
import dev.rollout.plan.Gate;
import dev.rollout.plan.GateFailureAction;
import dev.rollout.plan.Phase;
import dev.rollout.plan.Step;
import dev.rollout.plan.Window;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds a {@link Phase} for tests without fourteen positional arguments. */
final class PhaseBuilder {
  private String target;
  private final String name;
  private Duration bake;
  private Window window;
  private final List<Freeze> freezes = new ArrayList<>();
  private Approval entry;
  private Approval exit;
  private final List<Step> steps = new ArrayList<>();
  private final List<Gate> gates = new ArrayList<>();
  private final List<Gate> triggers = new ArrayList<>();
  private GateFailureAction onGateFailure;
  private final List<Step> rollback = new ArrayList<>();
  private final List<String> skipBakeRoles = new ArrayList<>();
  private dev.rollout.plan.StepFailureAction onStepFailure;

  private PhaseBuilder(String name) {
    this.name = name;
  }

  static PhaseBuilder phase(String name) {
    return new PhaseBuilder(name);
  }

  PhaseBuilder steps(Step... s) {
    steps.addAll(List.of(s));
    return this;
  }

  PhaseBuilder bake(Duration d) {
    bake = d;
    return this;
  }

  PhaseBuilder window(Window w) {
    window = w;
    return this;
  }

  PhaseBuilder freeze(Freeze f) {
    freezes.add(f);
    return this;
  }

  PhaseBuilder entry(Approval a) {
    entry = a;
    return this;
  }

  PhaseBuilder exit(Approval a) {
    exit = a;
    return this;
  }

  PhaseBuilder gates(Gate... g) {
    gates.addAll(List.of(g));
    return this;
  }

  PhaseBuilder triggers(Gate... g) {
    triggers.addAll(List.of(g));
    return this;
  }

  PhaseBuilder onGateFailure(GateFailureAction a) {
    onGateFailure = a;
    return this;
  }

  PhaseBuilder rollback(Step... s) {
    rollback.addAll(List.of(s));
    return this;
  }

  PhaseBuilder skipBakeRoles(String... roles) {
    skipBakeRoles.addAll(List.of(roles));
    return this;
  }

  PhaseBuilder onStepFailure(dev.rollout.plan.StepFailureAction a) {
    onStepFailure = a;
    return this;
  }

  PhaseBuilder target(String t) {
    target = t;
    return this;
  }

  Phase build() {
    return new Phase(name, null, null, bake, window, freezes, entry, exit, steps, gates, triggers,
        onGateFailure, rollback, skipBakeRoles, onStepFailure, target);
  }
}
