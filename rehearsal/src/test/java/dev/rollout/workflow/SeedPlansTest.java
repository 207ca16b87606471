package dev.rollout.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.rehearsal.Call;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import dev.rollout.rehearsal.Scenario.CallRule;
import dev.rollout.rehearsal.Scenario.MetricRule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each seed plan end to end: everything going well (the changes it makes, in order, and when),
 * then the seed's rollback items (kill switch first, a restore left to people, a breach during the
 * watch, a warning that only tells people).
 */
class SeedPlansTest {

  private static RehearsalResult rehearse(String plan) {
    return rehearse(plan, Scenario.HAPPY);
  }

  private static RehearsalResult rehearse(String plan, Scenario scenario) {
    RehearsalResult r = Rehearsal.run(SeedPlans.load(plan), scenario);
    assertThat(r.stuck()).isNull();
    assertThat(r.result().outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(r.status().compensations()).as("compensations stay registered until the end").isNotNull();
    return r;
  }

  private static Scenario metrics(String name, MetricRule... rules) {
    return new Scenario(name, null, List.of(rules), null, null, null, null);
  }

  private static Duration after(RehearsalResult r, String first, String then) {
    return Duration.between(at(r, first), at(r, then));
  }

  private static Instant at(RehearsalResult r, String brief) {
    return r.calls().stream().filter(c -> c.brief().equals(brief)).map(Call::at).findFirst().orElseThrow();
  }

  private static void roughly(Duration actual, Duration expected) {
    assertThat(actual).isBetween(expected, expected.plusMinutes(1));
  }

  /** The changes from the first one at or after {@code from} on. */
  private static List<String> changesFrom(RehearsalResult r, String first) {
    List<String> changes = r.changes();
    return changes.subList(changes.indexOf(first), changes.size());
  }

  @Test
  void batchPatchesCanarySignsOffThenSetsTenTwentyFiveFiftyHundredWithItsBakesBetween() {
    RehearsalResult r = rehearse("batch-patches-canary");
    assertThat(r.changes()).containsExactly(
        "traffic.setWeight(batch-patches-v1 10%)", "traffic.setWeight(batch-patches-v1 25%)",
        "traffic.setWeight(batch-patches-v1 50%)", "traffic.setWeight(batch-patches-v1 100%)");
    roughly(after(r, "traffic.setWeight(batch-patches-v1 10%)", "traffic.setWeight(batch-patches-v1 25%)"), Duration.ofHours(24));
    roughly(after(r, "traffic.setWeight(batch-patches-v1 25%)", "traffic.setWeight(batch-patches-v1 50%)"), Duration.ofHours(48));
    roughly(after(r, "traffic.setWeight(batch-patches-v1 50%)", "traffic.setWeight(batch-patches-v1 100%)"), Duration.ofHours(48));
    // 7 days of waves, then the seed's 2 weeks of monitoring with the triggers armed
    roughly(r.simulated(), Duration.ofDays(7 + 14));
    // 31 pre-deployment and sign-off items and 13 in the waves, every answer given by someone other than the starter
    List<Decision> confirmed = r.result().decisions().stream().filter(d -> d.what().startsWith("confirmed")).toList();
    assertThat(confirmed).hasSize(44);
    assertThat(r.result().decisions()).noneMatch(d -> d.who().startsWith(Rehearsal.STARTER));
    // the sign-off is given after the checklist it attests, and before the flag moves
    int lastItem = r.result().decisions().indexOf(confirmed.stream()
        .filter(d -> d.what().contains("Incident Commander: Team trained and ready")).findFirst().orElseThrow());
    int lastChecklistItem = indexOf(r.result().decisions(), d -> d.what().contains("Legal (if applicable): Data privacy review"));
    int firstSignOff = indexOf(r.result().decisions(), d -> d.what().contains("Development Lead: All pre-deployment checks complete"));
    assertThat(firstSignOff).isGreaterThan(lastChecklistItem);
    assertThat(r.result().decisions().get(lastItem).at()).isBeforeOrEqualTo(at(r, "traffic.setWeight(batch-patches-v1 10%)"));
  }

  @Test
  void aCriticalBreachDuringTheTwoWeekWatchRollsTheCanaryBackWithTheInstantRollbackFirst() {
    // day 10: wave 4 ended on day 7, the watch runs to day 21
    RehearsalResult r = Rehearsal.run(SeedPlans.load("batch-patches-canary"),
        metrics("errors in the watch", new MetricRule("error_rate", "12%", null, "10d")));

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.result().reason()).contains("error rate critical (> 10%)");
    assertThat(changesFrom(r, "runbook.runCommand(disable-feature-flag-batch-patches-v1)")).containsExactly(
        "runbook.runCommand(disable-feature-flag-batch-patches-v1)", "traffic.setWeight(batch-patches-v1 0%)");
    assertThat(r.calls()).filteredOn(c -> c.activity().equals("health")).last()
        .extracting(Call::args).asString().contains("http://legacy-api:3000/health");
    assertThat(r.simulated()).isBetween(Duration.ofDays(10), Duration.ofDays(10).plusHours(1));
  }

  @Test
  void aWarningTierValueTellsAlertsWarningsAndTheCanaryGoesOn() {
    // memory +60% against the baseline from day 2: over the +50% warning, under the +100% critical
    RehearsalResult r = Rehearsal.run(SeedPlans.load("batch-patches-canary"),
        metrics("memory warning", new MetricRule("memory_usage", "1.6MB", null, "2d")));

    assertThat(r.result().outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(r.changes()).doesNotContain("traffic.setWeight(batch-patches-v1 0%)");
    assertThat(r.calls()).filteredOn(c -> c.activity().equals("notification"))
        .anySatisfy(c -> assertThat(c.args()).startsWith("alerts-warnings WARNING").contains("memory_usage > 50% vs baseline"));
  }

  @Test
  void blueGreenPromotesThroughItsStagesEachAskingItsOwnEnvironment() {
    // Starts on a Tuesday morning, so production's shifts all fall in that day's Tue-Thu 14:00-17:00
    // window: started at another hour, a shift after 17:00 waits for the next window (as it must).
    RehearsalResult r = rehearse("blue-green-promotion",
        new Scenario("happy path, Tuesday 08:00Z", java.time.Instant.parse("2026-12-01T08:00:00Z"), null, null, null, null, null));
    assertThat(r.changes()).containsSubsequence(
        "runbook.runCommand(pipeline-code-quality)", "runbook.runCommand(pipeline-integration-tests)",
        "runbook.runCommand(pipeline-security-validation)", "runbook.runCommand(pipeline-performance-validation)",
        "database.backup(platform-dev p1s5)", "database.migrate(platform-dev EXPAND 2)",
        "deploy.setImage(platform-dev registry.local/platform:1.0.0)", "database.migrate(platform-dev CONTRACT 3)",
        "runbook.runCommand(automated-test-suite)", "runbook.runCommand(security-vulnerability-scan)",
        "database.backup(platform-staging p2s4)", "database.migrate(platform-staging EXPAND 2)",
        "deploy.setImage(platform-staging registry.local/platform:1.0.0)", "database.migrate(platform-staging CONTRACT 3)",
        "runbook.runCommand(migration-dry-run)",
        "database.backup(platform-prod p3s3)", "database.migrate(platform-prod EXPAND 2)",
        "deploy.setImage(platform-green registry.local/platform:1.0.0)",
        "runbook.runCommand(warm-cache)", "runbook.runCommand(automated-validation-suite)",
        "traffic.setWeight(blue-green 10%)", "traffic.setWeight(blue-green 25%)",
        "traffic.setWeight(blue-green 50%)", "traffic.setWeight(blue-green 100%)",
        "database.migrate(platform-prod CONTRACT 3)");
    assertThat(r.changes()).filteredOn(c -> c.startsWith("deploy.setEnv")).hasSize(3)
        .allSatisfy(c -> assertThat(c).contains("DATABASE_POOL_SIZE=20", "RATE_LIMIT_WINDOW=60000", "AUDIT_RETENTION_DAYS=365"));
    roughly(after(r, "traffic.setWeight(blue-green 10%)", "traffic.setWeight(blue-green 100%)"), Duration.ofMinutes(45));
    // each stage's gates, triggers and baselines ask about its own environment, stage after stage
    assertThat(r.calls()).filteredOn(c -> c.method().equals("baseline")).extracting(c -> c.args().substring(c.args().lastIndexOf(" on ") + 4))
        .containsExactly("platform/development", "platform/staging", "platform/production");
    List<Call> metricCalls = r.calls().stream()
        .filter(c -> c.activity().equals("metrics") && !c.method().equals("baseline")).toList();
    List<String> environments = new java.util.ArrayList<>();
    for (Call c : metricCalls) {
      String on = c.args().substring(c.args().lastIndexOf(" on ") + 4);
      if (environments.isEmpty() || !environments.get(environments.size() - 1).equals(on)) environments.add(on);
    }
    assertThat(environments).containsExactly("platform/development", "platform/staging", "platform/production");
    Instant shift = at(r, "traffic.setWeight(blue-green 10%)");
    assertThat(metricCalls).filteredOn(c -> !c.at().isBefore(shift)).isNotEmpty()
        .allSatisfy(c -> assertThat(c.args()).endsWith(" on platform/production"));
  }

  @Test
  void aProductionBreachRollsBackProductionOnly() {
    // a Tuesday: production's window opens at 14:00, the 10% shift bakes until 14:15
    Scenario errors = new Scenario("errors at 10% in production", Instant.parse("2026-03-03T09:00:00Z"),
        List.of(new MetricRule("error_rate", "5%", null, "5h5m")), null, null, null, null);
    RehearsalResult r = Rehearsal.run(SeedPlans.load("blue-green-promotion"), errors);

    assertThat(r.stuck()).as("the rollback of production must not wait").isNull();
    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    // back to blue, green's image and configuration back; development and staging keep the new version
    List<String> rollback = changesFrom(r, "traffic.setWeight(blue-green 0%)");
    assertThat(rollback).hasSize(3).startsWith("traffic.setWeight(blue-green 0%)", "deploy.setImage(platform-green platform-green:stable)");
    assertThat(rollback.get(2)).startsWith("deploy.setEnv(platform-green {DATABASE_POOL_SIZE=null");
    assertThat(rollback).noneMatch(c -> c.startsWith("database.restore"));
  }

  @Test
  void dealerscopeTurnsOnFlagsPhaseByPhaseOverEightWeeks() {
    RehearsalResult r = rehearse("dealerscope-feature-flags");
    assertThat(r.changes()).hasSize(7).startsWith(
        "database.backup(dealerscope p1s1)", "database.migrate(dealerscope EXPAND 5.0.1)");
    assertThat(r.changes()).containsSubsequence(
        "flags.setFlags(dealerscope-flags {ENABLE_CURSOR_PAGINATION=true, ENABLE_PRODUCTION_CACHE=true, ENABLE_SINGLE_FLIGHT=true, ENABLE_TTL_JITTER=true, LEGACY_PAGE_API=true, CACHE_PROVIDER=memory})",
        "deploy.scale(browser-pool 2)",
        "flags.setFlags(dealerscope-flags {CACHE_PROVIDER=redis, ENABLE_BROWSER_POOL=true, MAX_BROWSER_CONTEXTS=10, CACHE_MAX_SIZE=5000})");
    roughly(r.simulated(), Duration.ofDays(56));
    assertThat(r.historyEvents()).isLessThan(5_000);
  }

  @Test
  void dealerscopesKillSwitchRunsFirstWhenPhaseOneRollsBack() {
    // "Error rate > 2% for > 3 minutes", the plan's automated trigger, in phase 1
    RehearsalResult r = Rehearsal.run(SeedPlans.load("dealerscope-feature-flags"),
        metrics("errors in phase 1", new MetricRule("error_rate", "3%", "performance-foundation", null)));

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(changesFrom(r, "deploy.setEnv(dealerscope-api {FF_EMERGENCY_ROLLBACK=true})")).containsExactly(
        "deploy.setEnv(dealerscope-api {FF_EMERGENCY_ROLLBACK=true})",
        "deploy.scale(browser-pool 0)",
        "runbook.runCommand(rollback-feature-flags-phase-1)",
        "runbook.call(POST https://api.dealerscope.com/admin/feature-flags {\"ENABLE_PRODUCTION_CACHE\": false})",
        "flags.setFlags(dealerscope-flags {ENABLE_CURSOR_PAGINATION=false, ENABLE_PRODUCTION_CACHE=false, ENABLE_SINGLE_FLIGHT=false, ENABLE_TTL_JITTER=false})",
        "runbook.runCommand(validate-rollback)",
        "flags.setFlags(dealerscope-flags {ENABLE_CURSOR_PAGINATION=null, ENABLE_PRODUCTION_CACHE=null, ENABLE_SINGLE_FLIGHT=null, ENABLE_TTL_JITTER=null, LEGACY_PAGE_API=null, CACHE_PROVIDER=null})");
    // the expand migration's undo is nothing: the additive schema stays, nothing restored
    assertThat(r.changes()).noneMatch(c -> c.startsWith("database.restore"));
  }

  @Test
  void dealerscopesCommunicationPlanTellsIncidentsEngineeringManagementAndCustomersAtZeroTwoFiveAndTenMinutes() {
    // phase 1 rolls back and "./scripts/validate-rollback.sh" fails: the incident stays open
    // (ROLLBACK_BLOCKED) while nobody acts, so every rung of the chain falls due
    Scenario failing = new Scenario("errors in phase 1, validation fails", null,
        List.of(new MetricRule("error_rate", "3%", "performance-foundation", null)), null, null,
        List.of(new CallRule("runbook", "runCommand", 0, "validate-rollback", "validation failed", true)), null);
    try (Rehearsal rehearsal = Rehearsal.open(failing)) {
      RolloutWorkflow wf = rehearsal.start(SeedPlans.load("dealerscope-feature-flags"), "alice");
      RolloutStatus blocked = rehearsal.driveUntil(s -> s.state() == RolloutState.ROLLBACK_BLOCKED);
      rehearsal.env().sleep(Duration.ofMinutes(10));

      List<Call> told = Poll.until(() -> IncidentEscalationTest.told(rehearsal.world().calls()), t -> t.size() >= 4);
      assertThat(told).extracting(c -> c.args().substring(0, c.args().indexOf(' '))).containsExactly(
          "dealerscope-incidents", "dealerscope-engineering", "dealerscope-management", "dealerscope-customer-comms");
      Instant opened = told.get(0).at();
      // workflow time, to the nearest minute (each notice is scheduled a moment after its timer)
      assertThat(told).extracting(c -> (Duration.between(opened, c.at()).toMillis() + 30_000) / 60_000)
          .containsExactly(0L, 2L, 5L, 10L);
      // the incident opened with the rollback: "Auto-alert" at once, beside #dealerscope-alerts' rollback notice
      assertThat(rehearsal.world().calls()).filteredOn(c -> c.method().equals("notify"))
          .anySatisfy(c -> assertThat(c.args()).startsWith("dealerscope-alerts CRITICAL rolling back dealerscope-v5.0"));

      String id = blocked.undos().stream().filter(u -> u.status() == UndoEntry.Status.FAILED).findFirst().orElseThrow().id();
      wf.skipUndo(new Actions.UndoAction("bob", "SRE", id, "validated by hand"));
      RehearsalResult r = rehearsal.drive();
      assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
      assertThat(IncidentEscalationTest.told(r.calls())).hasSize(4);
    }
  }

  @Test
  void drivemindRunsSevenDailyPhasesThenWatches48Hours() {
    // From a fixed Monday morning: started from the wall clock, a run between 02:00 and 04:00 UTC
    // found phase 2's window already open and did not wait for it (seen at 02:26).
    RehearsalResult r = rehearse("drivemind-7-day",
        new Scenario("happy, from a Monday morning", Instant.parse("2026-03-02T09:00:00Z"), null, null, null, null, null));
    assertThat(r.changes()).containsSubsequence(
        "database.backup(drivemind p1s9)",
        "deploy.setImage(drivemind registry.local/drivemind:1.5.0-phase1)",
        "deploy.setImage(drivemind registry.local/drivemind:1.5.0-phase2)",
        "deploy.setImage(drivemind registry.local/drivemind:1.5.0-phase3)",
        "database.backup(drivemind p4s1)",
        "database.migrate(drivemind BREAKING 1.5.0.4)",
        "traffic.setWeight(drivemind-web 10%)", "traffic.setWeight(drivemind-web 50%)",
        "traffic.setWeight(drivemind-web 100%)",
        "deploy.setImage(drivemind registry.local/drivemind:1.5.0)",
        "deploy.setEnv(drivemind {APP_VERSION=1.5.0})");
    assertThat(r.changes()).hasSize(18);
    // phase 2 waits for its 2-4 AM UTC window
    assertThat(at(r, "deploy.setImage(drivemind registry.local/drivemind:1.5.0-phase2)").toString()).contains("T02:00:0");
    // "no critical incidents in first 48 hours": the rollout ends 48 hours after day 7's bake
    Instant lastChange = at(r, "deploy.setEnv(drivemind {APP_VERSION=1.5.0})");
    assertThat(Duration.between(lastChange, r.endedAt())).isBetween(Duration.ofHours(24 + 48), Duration.ofHours(24 + 48).plusMinutes(5));
  }

  @Test
  void drivemindLeavesTheRestoreOfItsPhaseFourBackupToAPerson() {
    // the frontend deploy on day 5 fails: everything rolls back, the day-4 migration's backup waits for a person
    // From a fixed Monday morning, like the happy path: from the wall clock, when phases 2 and 4 ran
    // depended on the hour CI started at (their 02:00-04:00 UTC windows).
    Scenario failing = new Scenario("frontend deploy fails", Instant.parse("2026-03-02T09:00:00Z"), null, null, null,
        List.of(new CallRule("deploy", "setImage", 0, "1.5.0-phase5", "image pull failed", true)), null);

    RehearsalResult r = Rehearsal.run(SeedPlans.load("drivemind-7-day"), failing);

    assertThat(r.changes()).contains("runbook.runCommand(rollback-script)")
        .noneMatch(c -> c.startsWith("database.restore"));
    // ./scripts/rollback.sh runs first, then the phase-4 rollback plan in the seed's order, then the undos
    assertThat(changesFrom(r, "runbook.runCommand(rollback-script)")).startsWith(
        "runbook.runCommand(rollback-script)",
        "deploy.setImage(drivemind registry.local/drivemind:1.5.0-phase3)",
        "flags.setFlags(drivemind-flags {enableParallelQueries=false})");
    // everything else is undone; the restore of the day-4 backup waits for a person
    assertThat(r.changes()).endsWith("deploy.setImage(drivemind-staging drivemind-staging:stable)");
    assertThat(r.result()).isNull();
    assertThat(r.stuck()).contains("restore drivemind", "NEEDS_DECISION");
  }

  @Test
  void phasedProgrammeRunsFourTwoWeekPhasesThenWatchesThirtyDays() {
    RehearsalResult r = rehearse("phased-programme-8-weeks");
    assertThat(r.changes()).hasSize(9).startsWith("flags.setFlags(programme-flags {OPA_ENFORCEMENT=true, GITLEAKS_SCANNING=true})")
        .endsWith("flags.setFlags(programme-flags {OBSERVABILITY_ENHANCEMENTS=true, ADVANCED_ANALYTICS=true})");
    roughly(r.simulated(), Duration.ofDays(56 + 30));
    List<String> images = r.changes().stream().filter(c -> c.startsWith("deploy")).toList();
    assertThat(images).containsExactly(
        "deploy.setImage(agent-dashboard registry.local/agent-dashboard:components)",
        "deploy.setImage(agent-dashboard registry.local/agent-dashboard:performance)");
    // a weekly stakeholder update in each of the 8 weeks
    assertThat(r.calls()).filteredOn(c -> c.activity().equals("notification") && c.args().startsWith("stakeholders INFO"))
        .extracting(Call::args).filteredOn(a -> a.contains("Weekly stakeholder update, week")).hasSize(8);
  }

  private static <T> int indexOf(List<T> list, java.util.function.Predicate<T> p) {
    for (int i = 0; i < list.size(); i++) if (p.test(list.get(i))) return i;
    return -1;
  }
}
