package dev.rollout.plan;

/**
 * One method per step kind, called by {@link Step#accept}: whatever handles steps implements it,
 * so adding a kind is a compile error everywhere it is not handled yet.
 */
public interface StepVisitor<R> {
  R backup(Step.Backup step);

  R migrate(Step.Migrate step);

  R traffic(Step.ShiftTraffic step);

  R flags(Step.SetFlags step);

  R deploy(Step.Deploy step);

  R scale(Step.Scale step);

  R env(Step.SetEnv step);

  R health(Step.HealthCheck step);

  R bake(Step.Bake step);

  R notify(Step.Notify step);

  R checklist(Step.Checklist step);

  R run(Step.Run step);

  R http(Step.Http step);
}
