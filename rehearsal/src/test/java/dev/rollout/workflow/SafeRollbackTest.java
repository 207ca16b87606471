package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;
import static dev.rollout.workflow.RollbackScenariosTest.errorsFrom;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.plan.AfterContract;
import dev.rollout.plan.Baseline;
import dev.rollout.plan.CanaryAnalysis;
import dev.rollout.plan.Comparison;
import dev.rollout.plan.Database;
import dev.rollout.plan.Gate;
import dev.rollout.plan.MigrationPhase;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Quantity;
import dev.rollout.plan.Resources;
import dev.rollout.plan.Router;
import dev.rollout.plan.Step;
import dev.rollout.plan.StepFailureAction;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import dev.rollout.rehearsal.Scenario.CallRule;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.CanceledFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Nothing fails the workflow, a cancel rolls back, traffic goes back to stable, expand/contract,
 * and a step failure the plan says to hold on.
 */
class SafeRollbackTest {

  private static Scenario failing(CallRule... rules) {
    return new Scenario("failures", null, null, null, null, List.of(rules), null);
  }

  /**
   * Cancels through Temporal (as the Web UI or CLI does) and waits for the end. The rollout rolls
   * back, then Temporal closes it as cancelled; its status keeps the result.
   */
  private static RolloutResult cancel(RolloutWorkflow wf) {
    WorkflowStub stub = WorkflowStub.fromTyped(wf);
    stub.cancel();
    // Bounded: a rollout that never ends after a cancel is the failure, not a hung build.
    assertThatThrownBy(() -> stub.getResult(5, java.util.concurrent.TimeUnit.MINUTES, RolloutResult.class))
        .isInstanceOf(WorkflowFailedException.class).hasRootCauseInstanceOf(CanceledFailure.class);
    RolloutStatus status = wf.status();
    assertThat(status.state()).isEqualTo(RolloutState.ROLLED_BACK);
    return status.result();
  }

  /** A relative gate (read a baseline), an absolute gate (evaluated) and a canary judgement. */
  private static Plan measured() {
    Gate relative = new Gate(null, "p99_latency", Comparison.LT, Quantity.parse("50%"), null, Baseline.BASELINE, null, null);
    CanaryAnalysis judge = new CanaryAnalysis(
        List.of(new CanaryAnalysis.JudgeMetric("errors", "error_rate", "error_rate", "increase", 0.05, false)),
        null, Duration.ofMinutes(10), null, null, null);
    return TestPlans.plan("api", List.of(),
        phase("Canary")
            .steps(TestPlans.traffic(10), new Step.Bake(null, Duration.ofHours(1), List.of(), judge))
            .gates(relative, TestPlans.gate("error_rate", Comparison.LT, "5%"))
            .bake(Duration.ofHours(1)).build());
  }

  @Test
  void aFiveSecondMetricOutageDuringBaselinesGatesAndTheJudgeDoesNotFailTheRollout() {
    RehearsalResult r = Rehearsal.run(measured(), failing(
        new CallRule("metrics", "baseline", 0, null, "prometheus: connection refused", null, "5s"),
        new CallRule("metrics", "evaluate", 0, null, "prometheus: connection refused", null, "5s"),
        new CallRule("metrics", "judge", 0, null, "prometheus: connection refused", null, "5s")));

    assertThat(r.result().outcome()).isEqualTo(Outcome.COMPLETED);
    for (String method : List.of("baseline", "evaluate", "judge")) {
      assertThat(r.calls()).anyMatch(c -> c.method().equals(method) && c.failed());
      assertThat(r.calls()).anyMatch(c -> c.method().equals(method) && !c.failed());
    }
  }

  @Test
  void gatesThatCannotBeReadAtAllHoldAsInconclusiveInsteadOfFailingTheWorkflow() {
    RehearsalResult r = Rehearsal.run(measured(), failing(
        new CallRule("metrics", "evaluate", 0, null, "prometheus: connection refused")));

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.result().reason()).contains("gates could not be evaluated").contains("connection refused")
        .contains("rollback chosen");
    assertThat(r.status().decisions()).anySatisfy(d -> assertThat(d.what()).contains("decided ROLLBACK"));
    assertThat(r.changes()).containsExactly("traffic.setWeight(main 10%)", "traffic.setWeight(main 0%)");
  }

  @Test
  void baselinesThatCannotBeReadHoldBeforeThePhaseChangesAnything() {
    Scenario s = new Scenario("no prometheus", null, null, null, Map.of("Canary", Actions.Choice.ROLLBACK),
        List.of(new CallRule("metrics", "baseline", 0, null, "prometheus: connection refused")), null);
    RehearsalResult r = Rehearsal.run(measured(), s);

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.result().reason()).contains("baselines of phase Canary could not be read");
    assertThat(r.changes()).isEmpty();
  }

  private static Plan twoPhases() {
    return TestPlans.plan("api", List.of(),
        phase("Canary").steps(TestPlans.traffic(10), new Step.Deploy(null, "api", "api:v2"))
            .bake(Duration.ofHours(10)).build(),
        phase("Everyone").entry(TestPlans.approval(1, "devops")).steps(TestPlans.traffic(100)).build());
  }

  @Test
  void aCancelDuringAWaitForPeopleRollsBack() {
    Scenario nobody = new Scenario("nobody approves", null, null, Map.of("Everyone", Scenario.Answer.NONE), null, null, null);
    try (Rehearsal rehearsal = Rehearsal.open(nobody)) {
      RolloutWorkflow wf = rehearsal.start(twoPhases(), "alice");
      rehearsal.driveUntil(s -> s.state() == RolloutState.WAITING_FOR_APPROVAL);

      RolloutResult result = cancel(wf);

      assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
      assertThat(result.trigger()).isEqualTo("operator abort");
      assertThat(result.reason()).contains("cancel requested");
      assertThat(rehearsal.world().weight("main")).isZero();
      assertThat(rehearsal.world().workload("api").image()).isEqualTo("api:stable");
    }
  }

  /**
   * A cancel is an abort, and the rollout still owns its target while it rolls back: the lock must
   * not be cancelled with it, or a second rollout could start on a half-undone target.
   */
  @Test
  void aCancelledRolloutKeepsItsTargetLockedUntilItsRollbackEnds() {
    Scenario undoFails = new Scenario("nobody approves, the traffic undo fails", null, null,
        Map.of("Everyone", Scenario.Answer.NONE), null,
        List.of(new CallRule("traffic", "setWeight", 2, null, "router unreachable", true)), null);
    try (Rehearsal rehearsal = Rehearsal.open(undoFails)) {
      Plan plan = twoPhases();
      RolloutWorkflow wf = rehearsal.start(plan, "alice");
      rehearsal.driveUntil(s -> s.state() == RolloutState.WAITING_FOR_APPROVAL);

      WorkflowStub.fromTyped(wf).cancel();
      RolloutStatus blocked = rehearsal.driveUntil(s -> s.state() == RolloutState.ROLLBACK_BLOCKED);

      assertThat(blocked.state()).isEqualTo(RolloutState.ROLLBACK_BLOCKED);
      String lock = RolloutIds.lockId(plan.targets().get(0));
      assertThat(rehearsal.client().getWorkflowServiceStubs().blockingStub()
              .describeWorkflowExecution(io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder()
                  .setNamespace(rehearsal.client().getOptions().getNamespace())
                  .setExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder().setWorkflowId(lock))
                  .build())
              .getWorkflowExecutionInfo().getStatus())
          .as("the target's lock while its cancelled rollout's rollback is blocked")
          .isEqualTo(io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    }
  }

  @Test
  void aCancelDuringABakeRollsBack() {
    try (Rehearsal rehearsal = Rehearsal.open(Scenario.HAPPY)) {
      RolloutWorkflow wf = rehearsal.start(twoPhases(), "alice");
      Poll.state(wf, RolloutState.BAKING);

      RolloutResult result = cancel(wf);

      assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
      assertThat(result.reason()).contains("cancel requested");
      assertThat(rehearsal.world().weight("main")).isZero();
      assertThat(rehearsal.world().workload("api").image()).isEqualTo("api:stable");
    }
  }

  @Test
  void aCancelDuringAStepCancelsItAndRollsItBackToo() {
    Scenario slowDeploy = new Scenario("slow deploy", null, null, null, null, null,
        List.of(new CallRule("deploy", "setImage", 1, null, null)));
    try (Rehearsal rehearsal = Rehearsal.open(slowDeploy)) {
      RolloutWorkflow wf = rehearsal.start(twoPhases(), "alice");
      Poll.until(() -> rehearsal.world().calls(), calls -> calls.stream().anyMatch(c -> c.method().equals("setImage")));

      RolloutResult result = cancel(wf);

      assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
      assertThat(result.reason()).contains("cancel requested");
      assertThat(rehearsal.world().workload("api").image()).isEqualTo("api:stable");
      assertThat(rehearsal.world().weight("main")).isZero();
    }
  }

  @Test
  void aRolloutStartedWithTheCanaryCarryingTrafficChangesNothingAndSaysWhy() {
    try (Rehearsal rehearsal = Rehearsal.open(Scenario.HAPPY)) {
      rehearsal.world().presetWeight("main", 100);
      rehearsal.start(TestPlans.canary(), "alice");
      RehearsalResult r = rehearsal.drive();

      assertThat(r.result().outcome()).isEqualTo(Outcome.STOPPED_BEFORE_CHANGE);
      assertThat(r.result().reason()).contains("router 'main' already carries 100%").contains("nothing was changed")
          .contains("adoptLiveState");
      assertThat(r.changes()).isEmpty();
      assertThat(rehearsal.world().weight("main")).isEqualTo(100);
      assertThat(r.status().state()).isEqualTo(RolloutState.STOPPED_BEFORE_CHANGE);
    }
  }

  @Test
  void aRouterThatAdoptsTheLiveStateStartsFromItAndRollsBackToStable() {
    Plan canary = TestPlans.canary();
    Resources r0 = canary.resources();
    Plan adopting = new Plan(canary.apiVersion(), canary.name(), canary.version(), null, canary.targets(), "UTC",
        canary.roles(), new Resources(r0.databases(), Map.of("main", new Router.HttpProxy("http://localhost:9000/admin", true)),
            r0.flagStores(), r0.metricSources(), r0.workloads(), r0.notifiers()),
        canary.metrics(), canary.triggers(), canary.phases(), canary.notifications());
    try (Rehearsal rehearsal = Rehearsal.open(errorsFrom("Canary", null))) {
      rehearsal.world().presetWeight("main", 100);
      rehearsal.start(adopting, "alice");
      RehearsalResult r = rehearsal.drive();

      assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
      // traffic goes back to stable, not to the 100 % the canary had when the rollout began
      assertThat(rehearsal.world().weight("main")).isZero();
    }
  }

  private static Plan expandThenContract(AfterContract afterContract) {
    Plan plan = TestPlans.plan("shop", List.of(TestPlans.gate("error_rate", Comparison.GT, "5%")),
        phase("Expand").steps(new Step.Backup(null, "orders"), new Step.Migrate(null, "orders", MigrationPhase.EXPAND, "v2"),
            new Step.Deploy(null, "api", "api:v2"), TestPlans.traffic(100)).bake(Duration.ofHours(1)).build(),
        phase("Contract").steps(new Step.Migrate(null, "orders", MigrationPhase.CONTRACT, "v3"))
            .bake(Duration.ofHours(1)).build());
    return TestPlans.withOrders(plan, new Database("ORDERS_DB", "filesystem:db/migration/orders", null, afterContract));
  }

  @Test
  void aFailureAfterAContractHoldsForAForwardFixInsteadOfRestoring() {
    try (Rehearsal rehearsal = Rehearsal.open(errorsFrom("Contract", null))) {
      rehearsal.start(expandThenContract(null), "alice");
      RolloutStatus blocked = rehearsal.driveUntil(s -> s.state() == RolloutState.ROLLBACK_BLOCKED);

      assertThat(rehearsal.world().calls()).noneMatch(c -> c.method().equals("restore"));
      assertThat(rehearsal.world().weight("main")).isEqualTo(100);
      assertThat(rehearsal.world().dbVersion("orders")).isEqualTo("v3");
      assertThat(blocked.undos()).filteredOn(u -> u.status() == UndoEntry.Status.NEEDS_DECISION)
          .isNotEmpty().allSatisfy(u -> assertThat(u.error()).contains("contract migration of orders"));
      assertThat(blocked.waitingFor().item()).contains("forward fix");
      assertThat(rehearsal.world().calls()).anyMatch(c -> c.brief().contains("CRITICAL") && c.brief().contains("ROLLBACK BLOCKED"));
    }
  }

  @Test
  void afterAContractThePlanMayRollBackWhatIsSafeButNeverRestoresOnItsOwn() {
    try (Rehearsal rehearsal = Rehearsal.open(errorsFrom("Contract", null))) {
      RolloutWorkflow wf = rehearsal.start(expandThenContract(AfterContract.ROLLBACK_SAFE), "alice");
      RolloutStatus blocked = rehearsal.driveUntil(s -> s.state() == RolloutState.ROLLBACK_BLOCKED);

      assertThat(rehearsal.world().weight("main")).isZero();
      assertThat(rehearsal.world().workload("api").image()).isEqualTo("api:stable");
      assertThat(rehearsal.world().dbVersion("orders")).isEqualTo("v3");
      // only the restore waits (the expand's "nothing to undo" on the same database waits behind it)
      UndoEntry restore = blocked.undos().stream().filter(u -> u.status() == UndoEntry.Status.NEEDS_DECISION)
          .findFirst().orElseThrow();
      assertThat(blocked.undos().stream().filter(u -> u.status() == UndoEntry.Status.NEEDS_DECISION)).hasSize(1);
      assertThat(restore.undo()).isInstanceOf(Undo.RestoreBackup.class);
      assertThat(restore.error()).contains("point of no return");

      wf.skipUndo(new Actions.UndoAction("dba", "engineering-lead", restore.id(), "fix forward with V4"));
      RehearsalResult r = rehearsal.drive();
      assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
      assertThat(r.result().skipped()).singleElement().asString().contains("fix forward with V4");
      assertThat(r.calls()).noneMatch(c -> c.method().equals("restore"));
    }
  }

  @Test
  void anExpandMigrationsUndoIsNothingTheSchemaStaysExpanded() {
    Plan plan = TestPlans.plan("shop", List.of(TestPlans.gate("error_rate", Comparison.GT, "5%")),
        phase("Expand").steps(new Step.Backup(null, "orders"), new Step.Migrate(null, "orders", MigrationPhase.EXPAND, "v2"),
            TestPlans.traffic(10)).bake(Duration.ofHours(1)).build());
    RehearsalResult r = Rehearsal.run(plan, errorsFrom("Expand", null));

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.calls()).noneMatch(c -> c.method().equals("restore"));
    assertThat(r.status().undos()).anySatisfy(u -> {
      assertThat(u.undo()).isInstanceOf(Undo.KeepExpandedSchema.class);
      assertThat(u.status()).isEqualTo(UndoEntry.Status.DONE);
      assertThat(u.description()).contains("stays expanded");
    });
  }

  @Test
  void aMigrationThatChangedNothingRegistersNoUndo() {
    try (Rehearsal rehearsal = Rehearsal.open(errorsFrom("Phase 5", null))) {
      rehearsal.world().presetDatabase("orders", "v2");
      rehearsal.start(TestPlans.sevenDays(), "alice");
      RehearsalResult r = rehearsal.drive();

      // no restore waits for a decision: the rollback ends on its own
      assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
      assertThat(r.status().undos()).noneMatch(u -> u.undo() instanceof Undo.RestoreBackup);
      assertThat(r.status().decisions()).anySatisfy(d -> assertThat(d.what()).contains("migration changed nothing"));
    }
  }

  @Test
  void aStepFailureThePhaseHoldsOnShowsTheErrorAndARetryRunsTheStepAgain() {
    Plan plan = TestPlans.plan("api", List.of(),
        phase("Canary").onStepFailure(StepFailureAction.HOLD)
            .steps(TestPlans.traffic(10), TestPlans.traffic(50)).bake(Duration.ofHours(1)).build());
    Scenario s = new Scenario("router down once", null, null, null, Map.of("Canary", Actions.Choice.RETRY),
        List.of(new CallRule("traffic", "setWeight", 2, null, "router unreachable")), null);
    RehearsalResult r = Rehearsal.run(plan, s);

    assertThat(r.result().outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(r.status().decisions()).anySatisfy(d -> assertThat(d.what()).contains("step failed").contains("router unreachable"));
    assertThat(r.status().decisions()).anySatisfy(d -> assertThat(d.what()).isEqualTo("decided RETRY"));
    assertThat(r.changes()).endsWith("traffic.setWeight(main 50%)");
  }

  @Test
  void flagRollbackValuesThePlanDeclaresWinOverTheValuesAtTheStart() {
    Plan plan = TestPlans.plan("api", List.of(TestPlans.gate("error_rate", Comparison.GT, "5%")),
        phase("Canary")
            .steps(new Step.SetFlags(null, "flags", Map.of("new_checkout", true, "legacy_checkout", false),
                Map.of("legacy_checkout", true)))
            .bake(Duration.ofHours(1)).build());
    RehearsalResult r = Rehearsal.run(plan, errorsFrom("Canary", null));

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    // new_checkout was unset at the start (removed again); legacy_checkout gets the plan's value
    assertThat(r.status().undos()).singleElement().satisfies(u ->
        assertThat(((Undo.SetFlags) u.undo()).values()).containsEntry("legacy_checkout", true).containsEntry("new_checkout", null));
  }
}
