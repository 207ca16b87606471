package dev.rollout.plan;

import java.util.List;

/**
 * The acceptance gates a step watches: a bake step's own, none for the other kinds. A new kind
 * does not compile until it says whether it carries gates (whose relative ones need baselines).
 */
public final class StepGates implements StepVisitor<List<Gate>> {
  private static final StepGates INSTANCE = new StepGates();

  private StepGates() {}

  public static List<Gate> of(Step step) {
    return step.accept(INSTANCE);
  }

  @Override
  public List<Gate> backup(Step.Backup step) {
    return List.of();
  }

  @Override
  public List<Gate> migrate(Step.Migrate step) {
    return List.of();
  }

  @Override
  public List<Gate> traffic(Step.ShiftTraffic step) {
    return List.of();
  }

  @Override
  public List<Gate> flags(Step.SetFlags step) {
    return List.of();
  }

  @Override
  public List<Gate> deploy(Step.Deploy step) {
    return List.of();
  }

  @Override
  public List<Gate> scale(Step.Scale step) {
    return List.of();
  }

  @Override
  public List<Gate> env(Step.SetEnv step) {
    return List.of();
  }

  @Override
  public List<Gate> health(Step.HealthCheck step) {
    return List.of();
  }

  @Override
  public List<Gate> bake(Step.Bake step) {
    return step.gates();
  }

  @Override
  public List<Gate> notify(Step.Notify step) {
    return List.of();
  }

  @Override
  public List<Gate> checklist(Step.Checklist step) {
    return List.of();
  }

  @Override
  public List<Gate> run(Step.Run step) {
    return List.of();
  }

  @Override
  public List<Gate> http(Step.Http step) {
    return List.of();
  }
}
