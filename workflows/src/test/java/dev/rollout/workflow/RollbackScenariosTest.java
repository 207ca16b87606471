package dev.rollout.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import dev.rollout.rehearsal.Scenario.CallRule;
import dev.rollout.rehearsal.Scenario.MetricRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a rollback undoes, in which order, and what happens when an undo fails. */
class RollbackScenariosTest {

  private static Scenario errorsFrom(String phase, List<CallRule> failures) {
    return new Scenario("errors from " + phase, null,
        List.of(new MetricRule("error_rate", "12%", phase, null)), null, null, failures, null);
  }

  @Test
  void triggerFiringInPhase3UndoesPhases3To1InReverseStepOrder() {
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
        // the rollback: phase 3, 2, 1, each phase's steps last-first
        "traffic.setWeight(main 30%)",
        "flags.setFlags(flags {phase3=null})",
        "traffic.setWeight(main 15%)",
        "flags.setFlags(flags {phase2=null})",
        "traffic.setWeight(main 0%)",
        "flags.setFlags(flags {phase1=null})");
    assertThat(r.status().compensations()).isEmpty();
    assertThat(r.status().phase()).isEqualTo("Phase 3");
  }

  @Test
  void aMigrationIsUndoneByRestoringTheBackupTakenBeforeIt() {
    RehearsalResult r = Rehearsal.run(TestPlans.sevenDays(), errorsFrom("Phase 5", null));

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.changes()).containsSubsequence(
        "database.backup(orders p4s2)",
        "database.migrate(orders null v2)",
        "traffic.setWeight(main 75%)",
        "traffic.setWeight(main 60%)",
        "database.restore(orders rehearsal://rollout-drivemind.production/orders-p4s2)",
        "flags.setFlags(flags {phase4=null})");
  }

  @Test
  void aCompensationThatStillFailsEndsRollbackFailedNamingIt() {
    CallRule restoreFails = new CallRule("database", "restore", 0, null, "backup file is corrupt");
    RehearsalResult r = Rehearsal.run(TestPlans.sevenDays(), errorsFrom("Phase 5", List.of(restoreFails)));

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLBACK_FAILED);
    assertThat(r.result().failedCompensation())
        .contains("phase 4").contains("restore orders").contains("backup file is corrupt");
    // retried before giving up, and nothing older was undone after it
    assertThat(r.calls().stream().filter(c -> c.method().equals("restore")).count()).isEqualTo(6);
    assertThat(r.status().compensations()).first().asString().contains("phase 1");
    assertThat(r.status().compensations()).last().asString().contains("restore orders");
    assertThat(r.calls()).anyMatch(c -> c.brief().contains("ROLLBACK FAILED"));
  }

  @Test
  void aPhasesOwnRollbackStepsRunBeforeItsCompensations() {
    dev.rollout.plan.Plan plan = TestPlans.plan("api", List.of(TestPlans.gate("error_rate", dev.rollout.plan.Comparison.GT, "5%")),
        PhaseBuilder.phase("Canary")
            .steps(new dev.rollout.plan.Step.Scale(null, "api", 6), TestPlans.traffic(20))
            .rollback(new dev.rollout.plan.Step.SetFlags(null, "flags", java.util.Map.of("kill_switch", true)))
            .bake(java.time.Duration.ofHours(2)).build());
    RehearsalResult r = Rehearsal.run(plan, errorsFrom("Canary", null));

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.changes()).containsExactly(
        "deploy.scale(api 6)", "traffic.setWeight(main 20%)",
        "flags.setFlags(flags {kill_switch=true})",
        "traffic.setWeight(main 0%)", "deploy.scale(api 2)");
  }

  @Test
  void aNotificationThatFailsNeverFailsTheRollout() {
    CallRule notifyFails = new CallRule("notification", "notify", 0, null, "slack is down");
    RehearsalResult r = Rehearsal.run(TestPlans.canary(), new Scenario("no slack", null, null, null, null, List.of(notifyFails), null));

    assertThat(r.result().outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(r.calls()).anyMatch(c -> c.method().equals("notify") && c.failed());
  }

  @Test
  void aStepFailingAfterItsRetriesRollsBackWhatRanBeforeIt() {
    CallRule third = new CallRule("traffic", "setWeight", 3, null, "router unreachable");
    RehearsalResult r = Rehearsal.run(TestPlans.sevenDays(),
        new Scenario("router down", null, null, null, null, List.of(third), null));

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.result().trigger()).isEqualTo("step failed");
    assertThat(r.result().reason()).contains("router unreachable");
    assertThat(r.calls().stream().filter(c -> c.failed()).count()).isEqualTo(3);
    // the failed shift registered its undo first: 30 % back to 30 % is harmless and certain
    assertThat(r.changes()).endsWith(
        "traffic.setWeight(main 45%)",
        "traffic.setWeight(main 30%)",
        "flags.setFlags(flags {phase3=null})",
        "traffic.setWeight(main 15%)",
        "flags.setFlags(flags {phase2=null})",
        "traffic.setWeight(main 0%)",
        "flags.setFlags(flags {phase1=null})");
  }
}
