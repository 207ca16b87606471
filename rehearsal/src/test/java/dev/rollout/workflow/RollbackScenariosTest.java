package dev.rollout.workflow;

import static dev.rollout.workflow.ApprovalScenariosTest.assertRefused;
import static dev.rollout.workflow.PhaseBuilder.phase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Comparison;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Step;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import dev.rollout.rehearsal.Scenario.CallRule;
import dev.rollout.rehearsal.Scenario.MetricRule;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a rollback undoes, in which order, and what happens when an undo fails or waits for a person. */
class RollbackScenariosTest {

  static Scenario errorsFrom(String phase, List<CallRule> failures) {
    return new Scenario("errors from " + phase, null,
        List.of(new MetricRule("error_rate", "12%", phase, null)), null, null, failures, null);
  }

  @Test
  void triggerFiringInPhase3SendsTrafficToStableFirstThenUndoesFlagsMostRecentFirst() {
    RehearsalResult r = Rehearsal.run(TestPlans.sevenDays(), errorsFrom("Phase 3", null));

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.result().trigger()).isEqualTo("error_rate > 5%");
    assertThat(r.result().reason()).contains("error_rate").contains("12");
    assertThat(r.changes()).containsExactly(
        "flags.setFlags(flags {phase1=true})",
        "traffic.setWeight(main 15%)",
        "flags.setFlags(flags {phase2=true})",
        "traffic.setWeight(main 30%)",
        "flags.setFlags(flags {phase3=true})",
        "traffic.setWeight(main 45%)",
        // the rollback: all traffic on stable at once (not back to 30 %), then flags last-first
        "traffic.setWeight(main 0%)",
        "flags.setFlags(flags {phase3=null})",
        "flags.setFlags(flags {phase2=null})",
        "flags.setFlags(flags {phase1=null})");
    assertThat(r.status().compensations()).isEmpty();
    assertThat(r.status().phase()).isEqualTo("Phase 3");
    // an ended rollout lists every undo that ran, with its result and time
    assertThat(r.status().undos()).hasSize(4).allSatisfy(u -> {
      assertThat(u.status()).isEqualTo(UndoEntry.Status.DONE);
      assertThat(u.at()).isAfter(r.startedAt().plus(Duration.ofDays(2)));
    });
    assertThat(r.status().undos()).anySatisfy(u -> assertThat(u.description()).contains("main back to stable"));
  }

  @Test
  void emergencyStepsThenPhaseRollbackStepsThenTrafficAndFlagsThenWorkloadsThenDatabases() {
    Plan plan = TestPlans.withRollback(TestPlans.withOrders(TestPlans.plan("api",
        List.of(TestPlans.gate("error_rate", Comparison.GT, "5%")),
        phase("Canary")
            .steps(new Step.Backup(null, "orders"), new Step.Migrate(null, "orders", null, "v2"),
                new Step.Deploy(null, "api", "api:v2"), new Step.Scale(null, "api", 4), TestPlans.traffic(10),
                new Step.SetFlags(null, "flags", Map.of("new_ui", true)))
            .rollback(new Step.SetEnv(null, "api", Map.of("READ_ONLY", "true")))
            .bake(Duration.ofHours(2)).build()), TestPlans.restoringOrders()),
        new Step.SetFlags(null, "flags", Map.of("kill_switch", true)));

    RehearsalResult r = Rehearsal.run(plan, errorsFrom("Canary", null));

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.changes()).containsExactly(
        "database.backup(orders p1s1)", "database.migrate(orders null v2)", "deploy.setImage(api api:v2)",
        "deploy.scale(api 4)", "traffic.setWeight(main 10%)", "flags.setFlags(flags {new_ui=true})",
        "flags.setFlags(flags {kill_switch=true})",
        "deploy.setEnv(api {READ_ONLY=true})",
        "flags.setFlags(flags {new_ui=null})", "traffic.setWeight(main 0%)",
        "deploy.scale(api 2)", "deploy.setImage(api api:stable)",
        "database.restore(orders rehearsal://rollout-api.production/orders-p1s1)");
    UndoEntry restore = r.status().undos().stream().filter(u -> u.undo() instanceof Undo.RestoreBackup)
        .findFirst().orElseThrow();
    assertThat(restore.status()).isEqualTo(UndoEntry.Status.DONE);
    assertThat(restore.description()).contains("rehearsal://rollout-api.production/orders-p1s1").contains("old when restored");
  }

  @Test
  void aRestoreWaitsForAPersonWhoCanKeepTheDataAndTheResultSaysSo() {
    try (Rehearsal rehearsal = Rehearsal.open(errorsFrom("Phase 5", null))) {
      RolloutWorkflow wf = rehearsal.start(TestPlans.sevenDays(), "alice");
      RolloutStatus blocked = rehearsal.driveUntil(s -> s.state() == RolloutState.ROLLBACK_BLOCKED);

      // everything else is undone already; only the restore waits, showing what it would lose
      assertThat(rehearsal.world().weight("main")).isZero();
      assertThat(rehearsal.world().flags("flags")).isEmpty();
      assertThat(rehearsal.world().dbVersion("orders")).isEqualTo("v2");
      UndoEntry restore = blocked.undos().stream()
          .filter(u -> u.status() == UndoEntry.Status.NEEDS_DECISION).findFirst().orElseThrow();
      assertThat(restore.description()).contains("restore orders").contains("old");
      assertThat(restore.error()).contains("restoring loses every write to orders since");
      assertThat(blocked.waitingFor().kind()).isEqualTo(RolloutStatus.WaitKind.UNDO);
      assertThat(blocked.waitingFor().item()).contains(restore.id());
      assertRefused(() -> wf.skipUndo(new Actions.UndoAction("mallory", "intern", restore.id(), "no")), "not one of the plan's roles");
      assertRefused(() -> wf.skipUndo(new Actions.UndoAction("bob", "devops", restore.id(), " ")), "reason is required");
      assertRefused(() -> wf.abort(new Actions.Abort("bob", "stop")), "ROLLBACK_BLOCKED");

      wf.skipUndo(new Actions.UndoAction("bob", "devops", restore.id(), "keep the orders taken since"));
      RehearsalResult r = rehearsal.drive();

      assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
      assertThat(r.result().skipped()).singleElement().asString()
          .contains(restore.id()).contains("bob (devops)").contains("keep the orders taken since");
      assertThat(r.calls()).noneMatch(c -> c.method().equals("restore"));
      assertThat(rehearsal.world().dbVersion("orders")).isEqualTo("v2");
    }
  }

  @Test
  void aPersonCanDecideTheRestore() {
    try (Rehearsal rehearsal = Rehearsal.open(errorsFrom("Phase 5", null))) {
      RolloutWorkflow wf = rehearsal.start(TestPlans.sevenDays(), "alice");
      RolloutStatus blocked = rehearsal.driveUntil(s -> s.state() == RolloutState.ROLLBACK_BLOCKED);
      String id = blocked.undos().stream().filter(u -> u.status() == UndoEntry.Status.NEEDS_DECISION)
          .findFirst().orElseThrow().id();

      wf.retryUndo(new Actions.UndoAction("carol", "engineering-lead", id, "the data is bad, restore"));
      RehearsalResult r = rehearsal.drive();

      assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
      assertThat(r.result().skipped()).isEmpty();
      assertThat(rehearsal.world().dbVersion("orders")).isEqualTo("v0");
      assertThat(r.changes()).last().asString().startsWith("database.restore(orders");
    }
  }

  @Test
  void aFailingUndoBlocksTheRollbackTheOthersCarryOnAndARetryEndsIt() {
    Plan plan = TestPlans.plan("api", List.of(TestPlans.gate("error_rate", Comparison.GT, "5%")),
        phase("Canary")
            .steps(new Step.Deploy(null, "api", "api:v2"), TestPlans.traffic(20),
                new Step.SetFlags(null, "flags", Map.of("new_ui", true)))
            .bake(Duration.ofHours(2)).build());
    // the 2nd setWeight is the undo: it fails every retry; a retried undo is a new call and succeeds
    CallRule routerDown = new CallRule("traffic", "setWeight", 2, null, "router admin API down");
    try (Rehearsal rehearsal = Rehearsal.open(errorsFrom("Canary", List.of(routerDown)))) {
      RolloutWorkflow wf = rehearsal.start(plan, "alice");
      RolloutStatus blocked = rehearsal.driveUntil(s -> s.state() == RolloutState.ROLLBACK_BLOCKED);

      UndoEntry traffic = blocked.undos().stream().filter(u -> u.status() == UndoEntry.Status.FAILED)
          .findFirst().orElseThrow();
      assertThat(traffic.description()).contains("main back to stable");
      assertThat(traffic.error()).contains("router admin API down");
      assertThat(blocked.waitingFor().item()).contains(traffic.id()).contains("router admin API down");
      // the undos of other resources carried on
      assertThat(rehearsal.world().flags("flags")).isEmpty();
      assertThat(rehearsal.world().workload("api").image()).isEqualTo("api:stable");
      assertThat(rehearsal.world().weight("main")).isEqualTo(20);
      assertThat(rehearsal.world().calls()).anyMatch(c -> c.brief().contains("ROLLBACK BLOCKED"));
      assertThat(rehearsal.world().calls().stream().filter(c -> c.brief().equals("traffic.setWeight(main 0%)")).count())
          .isEqualTo(12);

      wf.retryUndo(new Actions.UndoAction("bob", "devops", traffic.id(), "admin API is back"));
      RehearsalResult r = rehearsal.drive();

      assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
      assertThat(rehearsal.world().weight("main")).isZero();
      assertThat(r.status().undos()).allSatisfy(u -> assertThat(u.status()).isEqualTo(UndoEntry.Status.DONE));
      assertThat(r.status().decisions()).anySatisfy(d -> assertThat(d.what()).contains("retried " + traffic.id()));
    }
  }

  @Test
  void anUndoDoneByHandEndsTheRollbackWithoutRunningIt() {
    CallRule restoreFails = new CallRule("database", "restore", 0, null, "backup file is corrupt");
    try (Rehearsal rehearsal = Rehearsal.open(errorsFrom("Phase 5", List.of(restoreFails)))) {
      RolloutWorkflow wf = rehearsal.start(TestPlans.withOrders(TestPlans.sevenDays(), TestPlans.restoringOrders()), "alice");
      RolloutStatus blocked = rehearsal.driveUntil(s -> s.state() == RolloutState.ROLLBACK_BLOCKED);
      UndoEntry restore = blocked.undos().stream().filter(u -> u.status() == UndoEntry.Status.FAILED)
          .findFirst().orElseThrow();
      assertThat(restore.error()).contains("backup file is corrupt");

      wf.markUndoDone(new Actions.UndoAction("dana", "engineering-lead", restore.id(), "restored from the nightly snapshot"));
      RehearsalResult r = rehearsal.drive();

      assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
      UndoEntry done = r.status().undos().stream().filter(u -> u.id().equals(restore.id())).findFirst().orElseThrow();
      assertThat(done.status()).isEqualTo(UndoEntry.Status.DONE);
      assertThat(done.by()).isEqualTo("dana (engineering-lead)");
      assertThat(done.note()).contains("nightly snapshot");
    }
  }

  @Test
  void aNotificationThatFailsNeverFailsTheRollout() {
    CallRule notifyFails = new CallRule("notification", "notify", 0, null, "slack is down");
    RehearsalResult r = Rehearsal.run(TestPlans.canary(), new Scenario("no slack", null, null, null, null, List.of(notifyFails), null));

    assertThat(r.result().outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(r.calls()).anyMatch(c -> c.method().equals("notify") && c.failed());
  }

  @Test
  void aStepFailingAfterMinutesOfRetriesRollsBackWhatRanBeforeIt() {
    CallRule third = new CallRule("traffic", "setWeight", 3, null, "router unreachable");
    RehearsalResult r = Rehearsal.run(TestPlans.sevenDays(),
        new Scenario("router down", null, null, null, null, List.of(third), null));

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.result().trigger()).isEqualTo("step failed");
    assertThat(r.result().reason()).contains("router unreachable");
    List<dev.rollout.rehearsal.Call> failed = r.calls().stream().filter(c -> c.failed()).toList();
    assertThat(failed).hasSize(12);
    assertThat(Duration.between(failed.get(0).at(), failed.get(11).at())).isGreaterThan(Duration.ofMinutes(3));
    assertThat(r.changes()).endsWith(
        "traffic.setWeight(main 45%)",
        "traffic.setWeight(main 0%)",
        "flags.setFlags(flags {phase3=null})",
        "flags.setFlags(flags {phase2=null})",
        "flags.setFlags(flags {phase1=null})");
  }

  @Test
  void aNonRetryableStepFailureAppliesThePolicyAtOnce() {
    Plan plan = TestPlans.plan("api", List.of(),
        phase("Canary").steps(TestPlans.traffic(10), new Step.Backup(null, "orders")).build());
    CallRule badPassword = new CallRule("database", "backup", 0, null, "password authentication failed", true);
    RehearsalResult r = Rehearsal.run(plan, new Scenario("bad password", null, null, null, null, List.of(badPassword), null));

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.result().reason()).contains("password authentication failed");
    assertThat(r.calls().stream().filter(c -> c.method().equals("backup")).count()).isEqualTo(1);
    assertThat(r.changes()).containsExactly("traffic.setWeight(main 10%)", "database.backup(orders p1s2)", "traffic.setWeight(main 0%)");
  }
}
