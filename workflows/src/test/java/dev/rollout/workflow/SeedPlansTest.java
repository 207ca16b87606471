package dev.rollout.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.rehearsal.Call;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each seed plan end to end, everything going well: the changes it makes, in order, and when. */
class SeedPlansTest {

  private static RehearsalResult rehearse(String plan) {
    RehearsalResult r = Rehearsal.run(SeedPlans.load(plan), Scenario.HAPPY);
    assertThat(r.stuck()).isNull();
    assertThat(r.result().outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(r.status().compensations()).as("compensations stay registered until the end").isNotNull();
    return r;
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

  @Test
  void batchPatchesCanarySetsTenTwentyFiveFiftyHundredWithItsBakesBetween() {
    RehearsalResult r = rehearse("batch-patches-canary");
    assertThat(r.changes()).containsExactly(
        "traffic.setWeight(batch-patches-v1 10%)", "traffic.setWeight(batch-patches-v1 25%)",
        "traffic.setWeight(batch-patches-v1 50%)", "traffic.setWeight(batch-patches-v1 100%)");
    roughly(after(r, "traffic.setWeight(batch-patches-v1 10%)", "traffic.setWeight(batch-patches-v1 25%)"), Duration.ofHours(24));
    roughly(after(r, "traffic.setWeight(batch-patches-v1 25%)", "traffic.setWeight(batch-patches-v1 50%)"), Duration.ofHours(48));
    roughly(after(r, "traffic.setWeight(batch-patches-v1 50%)", "traffic.setWeight(batch-patches-v1 100%)"), Duration.ofHours(48));
    // 7 days of waves, then the seed's 2 weeks of monitoring with the triggers armed
    roughly(r.simulated(), Duration.ofDays(7 + 14));
    // all 16 checklist items confirmed, every answer given by someone other than the starter
    assertThat(r.result().decisions()).filteredOn(d -> d.what().startsWith("confirmed")).hasSize(16);
    assertThat(r.result().decisions()).noneMatch(d -> d.who().startsWith(Rehearsal.STARTER));
  }

  @Test
  void blueGreenPromotionMigratesBehindBackupsAndShiftsTrafficInTheWindow() {
    RehearsalResult r = rehearse("blue-green-promotion");
    assertThat(r.changes()).containsExactly(
        "database.backup(platform-dev p1s1)", "database.migrate(platform-dev EXPAND 2)",
        "deploy.setImage(platform-dev registry.local/platform:1.0.0)", "database.migrate(platform-dev CONTRACT 3)",
        "database.backup(platform-staging p2s4)", "database.migrate(platform-staging EXPAND 2)",
        "deploy.setImage(platform-staging registry.local/platform:1.0.0)", "database.migrate(platform-staging CONTRACT 3)",
        "database.backup(platform-prod p3s3)", "database.migrate(platform-prod EXPAND 2)",
        "deploy.setImage(platform-green registry.local/platform:1.0.0)",
        "traffic.setWeight(blue-green 10%)", "traffic.setWeight(blue-green 25%)",
        "traffic.setWeight(blue-green 50%)", "traffic.setWeight(blue-green 100%)",
        "database.migrate(platform-prod CONTRACT 3)");
    roughly(after(r, "traffic.setWeight(blue-green 10%)", "traffic.setWeight(blue-green 100%)"), Duration.ofMinutes(45));
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
  void drivemindRunsSevenDailyPhasesWithItsMigrationAfterABackup() {
    RehearsalResult r = rehearse("drivemind-7-day");
    assertThat(r.changes()).containsSubsequence(
        "database.backup(drivemind p1s9)",
        "deploy.setImage(drivemind registry.local/drivemind:1.5.0-phase1)",
        "deploy.setImage(drivemind registry.local/drivemind:1.5.0-phase2)",
        "deploy.setImage(drivemind registry.local/drivemind:1.5.0-phase3)",
        "database.backup(drivemind p4s1)",
        "database.migrate(drivemind EXPAND 1.5.0.4)",
        "traffic.setWeight(drivemind-web 10%)", "traffic.setWeight(drivemind-web 50%)",
        "traffic.setWeight(drivemind-web 100%)",
        "deploy.setImage(drivemind registry.local/drivemind:1.5.0)",
        "deploy.setEnv(drivemind {APP_VERSION=1.5.0})");
    assertThat(r.changes()).hasSize(18);
    // phase 2 waits for its 2-4 AM UTC window
    assertThat(at(r, "deploy.setImage(drivemind registry.local/drivemind:1.5.0-phase2)").toString()).contains("T02:00:0");
  }

  @Test
  void phasedProgrammeRunsFourTwoWeekPhases() {
    RehearsalResult r = rehearse("phased-programme-8-weeks");
    assertThat(r.changes()).hasSize(9).startsWith("flags.setFlags(programme-flags {OPA_ENFORCEMENT=true, GITLEAKS_SCANNING=true})")
        .endsWith("flags.setFlags(programme-flags {OBSERVABILITY_ENHANCEMENTS=true, ADVANCED_ANALYTICS=true})");
    roughly(r.simulated(), Duration.ofDays(56));
    List<String> images = r.changes().stream().filter(c -> c.startsWith("deploy")).toList();
    assertThat(images).containsExactly(
        "deploy.setImage(agent-dashboard registry.local/agent-dashboard:components)",
        "deploy.setImage(agent-dashboard registry.local/agent-dashboard:performance)");
  }
}
