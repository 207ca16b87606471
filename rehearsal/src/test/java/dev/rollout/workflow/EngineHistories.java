package dev.rollout.workflow;

import dev.rollout.plan.Plan;
import dev.rollout.plan.RollbackScope;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.Scenario;
import dev.rollout.rehearsal.Scenario.MetricRule;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records histories of rollouts started on {@value Changes#ENGINE} (one version marker, every
 * earlier change on without its own) for {@link ReplayTest}, into NEW files only; list each in
 * {@code SHA256SUMS}:
 *
 * <pre>
 * mvn -B -o -pl rehearsal -am test -Dtest=EngineHistories -Dhistories.recordNew=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfSystemProperty(named = "histories.recordNew", matches = "true")
class EngineHistories {

  @Test
  void record() throws IOException {
    // a seed plan's happy path, guarded bakes and all
    record("engine-2026-12-blue-green-promotion.json", SeedPlans.load("blue-green-promotion"), Scenario.HAPPY,
        Outcome.COMPLETED);
    // three targets locked, baselines per target, a production breach rolls back all three
    record("engine-2026-12-promotion-rollback.json", PhaseTargetsTest.promotion(RollbackScope.ALL),
        PhaseTargetsTest.errorsFrom("Production"), Outcome.ROLLED_BACK);
    // a warning-tier trigger tells people, reminds, and the rollout completes
    record("engine-2026-12-warning-trigger-notified.json",
        TriggerTiersTest.plan(TriggerTiersTest.LATENCY_WARNING, TriggerTiersTest.LATENCY_CRITICAL),
        TriggerTiersTest.latency("1500ms"), Outcome.COMPLETED);
    // a breach on day 10 of the post-rollout watch rolls back, the notice alongside the first undo
    record("engine-2026-12-watch-breach-rollback.json", AfterWatchTest.plan(),
        new Scenario("errors on day 10", null, List.of(new MetricRule("error_rate", "10%", null, "10d")),
            null, null, null, null), Outcome.ROLLED_BACK);
    // a trigger rolls back; the restore waits for a person, who decides it; it is announced
    try (Rehearsal rehearsal = Rehearsal.open(RollbackScenariosTest.errorsFrom("Canary", null))) {
      RolloutWorkflow wf = rehearsal.start(RollbackHistories.plan(), "alice");
      RolloutStatus blocked = rehearsal.driveUntil(s -> s.state() == RolloutState.ROLLBACK_BLOCKED);
      String id = blocked.undos().stream().filter(u -> u.status() == UndoEntry.Status.NEEDS_DECISION)
          .findFirst().orElseThrow().id();
      wf.retryUndo(new Actions.UndoAction("dba", "engineering-lead", id, "restore"));
      check(rehearsal, rehearsal.drive().result().outcome(), Outcome.ROLLED_BACK, "engine-2026-12-rollback-restore-decided.json");
    }
  }

  /**
   * Every person's Update answers in brief ({@link RolloutBrief}) since 2026-12-01: a seed plan with
   * 26 approvals and confirmations, so later code replays answers of this shape too.
   *
   * <pre>-Dtest=EngineHistories#recordBriefAnswers</pre>
   */
  @Test
  void recordBriefAnswers() throws IOException {
    record("engine-2026-12-drivemind-brief-answers.json", SeedPlans.load("drivemind-7-day"), Scenario.HAPPY,
        Outcome.COMPLETED);
  }

  private static void record(String name, Plan plan, Scenario scenario, Outcome expected) throws IOException {
    try (Rehearsal rehearsal = Rehearsal.open(scenario)) {
      rehearsal.start(plan, Rehearsal.STARTER);
      check(rehearsal, rehearsal.drive().result().outcome(), expected, name);
    }
  }

  /** Writes the history if the rollout ended as expected, asking no version but the engine's. */
  private static void check(Rehearsal rehearsal, Outcome outcome, Outcome expected, String name) throws IOException {
    if (outcome != expected) throw new AssertionError(name + " ended " + outcome + ", not " + expected);
    List<String> markers = VersionMarkersTest.versionMarkers(rehearsal.client().fetchHistory(rehearsal.workflowId()));
    if (!markers.equals(List.of(Changes.ENGINE))) throw new AssertionError(name + " asked " + markers);
    HistoryFixtures.writeNew(rehearsal, name);
  }
}
