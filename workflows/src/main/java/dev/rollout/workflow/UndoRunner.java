package dev.rollout.workflow;

import dev.rollout.activities.DatabaseActivities;
import dev.rollout.activities.DeployActivities;
import dev.rollout.activities.FlagActivities;
import dev.rollout.activities.TrafficActivities;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Step;

/** The one place an {@link Undo} becomes its activity call. Throws what the call throws. */
final class UndoRunner implements Undo.Visitor<Void> {
  private final Plan plan;
  private final String rolloutId;
  private final Notices notices;
  private final StatusBoard status;
  private final StepRunner steps;
  private final CompensationStack stack;
  /** The undo's description, the summary of its activity call; null on the runner itself. */
  private final String summary;

  UndoRunner(Plan plan, String rolloutId, Notices notices, StatusBoard status, StepRunner steps, CompensationStack stack) {
    this(plan, rolloutId, notices, status, steps, stack, null);
  }

  private UndoRunner(Plan plan, String rolloutId, Notices notices, StatusBoard status, StepRunner steps,
      CompensationStack stack, String summary) {
    this.plan = plan;
    this.rolloutId = rolloutId;
    this.notices = notices;
    this.status = status;
    this.steps = steps;
    this.stack = stack;
    this.summary = summary;
  }

  void run(UndoEntry entry) {
    entry.undo().accept(new UndoRunner(plan, rolloutId, notices, status, steps, stack, entry.description()));
  }

  private Plan plan() {
    return plan;
  }

  private String id() {
    return rolloutId;
  }

  @Override
  public Void runStep(Undo.RunStep u) {
    Step step = u.step();
    String label = Steps.label(step);
    switch (Steps.role(step)) {
      case NOTICE -> {
        Step.Notify n = (Step.Notify) step;
        notices.send(n.notifier(), n.severity(), "rollback: " + label, n.message());
      }
      case BAKE, CHECKLIST -> status.log("system", "skipped rollback step '" + label + "'", "a rollback does not wait");
      case CHANGE -> steps.change(-1, u.key(), step);
    }
    return null;
  }

  @Override
  public Void trafficToStable(Undo.TrafficToStable u) {
    ActivityStubs.undo(TrafficActivities.class, summary)
        .setWeight(id(), u.router(), plan().resources().routers().get(u.router()), 0);
    return null;
  }

  @Override
  public Void setWeight(Undo.SetWeight u) {
    ActivityStubs.undo(TrafficActivities.class, summary)
        .setWeight(id(), u.router(), plan().resources().routers().get(u.router()), u.percent());
    return null;
  }

  @Override
  public Void setFlags(Undo.SetFlags u) {
    ActivityStubs.undo(FlagActivities.class, summary)
        .setFlags(id(), u.store(), plan().resources().flagStores().get(u.store()), new java.util.LinkedHashMap<>(u.values()));
    return null;
  }

  @Override
  public Void setImage(Undo.SetImage u) {
    waiting().setImage(id(), u.workload(), plan().resources().workloads().get(u.workload()), u.image());
    return null;
  }

  @Override
  public Void scale(Undo.Scale u) {
    waiting().scale(id(), u.workload(), plan().resources().workloads().get(u.workload()), u.replicas());
    return null;
  }

  @Override
  public Void setEnv(Undo.SetEnv u) {
    ActivityStubs.undo(DeployActivities.class, summary)
        .setEnv(id(), u.workload(), plan().resources().workloads().get(u.workload()), new java.util.LinkedHashMap<>(u.env()));
    return null;
  }

  @Override
  public Void restoreBackup(Undo.RestoreBackup u) {
    ActivityStubs.undo(DatabaseActivities.class, summary)
        .restore(id(), u.database(), plan().resources().databases().get(u.database()), u.backup());
    return null;
  }

  @Override
  public Void keepExpandedSchema(Undo.KeepExpandedSchema u) {
    return null;
  }

  @Override
  public Void runCommand(Undo.RunCommand u) {
    new RunbookSteps(id(), stack).undo(u, summary);
    return null;
  }

  @Override
  public Void httpCall(Undo.HttpCall u) {
    new RunbookSteps(id(), stack).undo(u, summary);
    return null;
  }

  /**
   * Redeploy and scale wait until the workload is ready. Rollouts before {@value
   * Changes#STEP_POLICY} used the step's retries here; later ones the undo budget.
   */
  private DeployActivities waiting() {
    return Changes.current().stepPolicy()
        ? ActivityStubs.longRunningUndo(DeployActivities.class, summary, Steps.READY)
        : ActivityStubs.longRunning(DeployActivities.class, summary, Steps.READY);
  }
}
