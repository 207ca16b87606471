package dev.rollout.workflow;

import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import dev.rollout.rehearsal.Scenario.CallRule;
import dev.rollout.rehearsal.Scenario.MetricRule;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records the histories of the plan features behind their own versions (per-target-locks,
 * phase-targets, baselines-per-target, trigger-action-tiers, post-rollout-watch,
 * rollback-scope-per-target, incident-escalation) for {@link ReplayTest}, into NEW files only; list each in
 * {@code SHA256SUMS}:
 *
 * <pre>
 * mvn -B -o -pl rehearsal -am test -Dtest=PlanFeatureHistories -Dhistories.recordNew=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfSystemProperty(named = "histories.recordNew", matches = "true")
class PlanFeatureHistories {

  @Test
  void record() throws IOException {
    // development → staging → production, each phase on its own target and lock
    record("promotion-target-locks.json", PhaseTargetsTest.promotion(null), Scenario.HAPPY, Outcome.COMPLETED);
    // a breach in production rolls back production only
    record("promotion-production-rollback.json", PhaseTargetsTest.promotion(null),
        PhaseTargetsTest.errorsFrom("Production"), Outcome.ROLLED_BACK);
    // a warning-tier trigger tells people, reminds, and the rollout completes
    record("warning-trigger-notified.json",
        TriggerTiersTest.plan(TriggerTiersTest.LATENCY_WARNING, TriggerTiersTest.LATENCY_CRITICAL),
        TriggerTiersTest.latency("1500ms"), Outcome.COMPLETED);
    // a breach on day 10 of the 14-day watch rolls back
    record("watch-breach-rollback.json", AfterWatchTest.plan(),
        new Scenario("errors on day 10", null, List.of(new MetricRule("error_rate", "10%", null, "10d")),
            null, null, null, null), Outcome.ROLLED_BACK);
    // a blocked rollback escalates to engineering and management, then a person skips the undo
    CallRule routerDown = new CallRule("traffic", "setWeight", 2, null, "router admin API down");
    try (Rehearsal rehearsal = Rehearsal.open(RollbackScenariosTest.errorsFrom("Canary", List.of(routerDown)))) {
      RolloutWorkflow wf = rehearsal.start(IncidentEscalationTest.plan(), "alice");
      RolloutStatus blocked = rehearsal.driveUntil(s -> s.state() == RolloutState.ROLLBACK_BLOCKED);
      rehearsal.env().sleep(Duration.ofMinutes(6));
      String id = blocked.undos().stream().filter(u -> u.status() == UndoEntry.Status.FAILED).findFirst().orElseThrow().id();
      wf.skipUndo(new Actions.UndoAction("bob", "devops", id, "set by hand on the router"));
      check(rehearsal.drive().result().outcome() == Outcome.ROLLED_BACK, "escalated rollback");
      HistoryFixtures.writeNew(rehearsal, "incident-escalation-blocked.json");
    }
  }

  private static void record(String name, dev.rollout.plan.Plan plan, Scenario scenario, Outcome expected)
      throws IOException {
    try (Rehearsal rehearsal = Rehearsal.open(scenario)) {
      rehearsal.start(plan, Rehearsal.STARTER);
      RehearsalResult r = rehearsal.drive();
      check(r.result() != null && r.result().outcome() == expected, name);
      HistoryFixtures.writeNew(rehearsal, name);
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) throw new AssertionError(what + " did not end as recorded");
  }

}
