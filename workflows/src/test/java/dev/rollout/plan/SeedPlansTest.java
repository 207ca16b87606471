package dev.rollout.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The numbers and names each seed document gives survived into its plan file. */
class SeedPlansTest {

  @Test
  void drivemindRunsSevenDailyPhasesWithTheSeedsWindowsBackupsAndTriggers() {
    Plan plan = SeedPlans.load("drivemind-7-day.yaml");

    assertThat(plan.phases()).hasSize(7);
    assertThat(plan.phases()).extracting(Phase::risk).containsExactly(
        Risk.LOW, Risk.MEDIUM, Risk.LOW, Risk.HIGH, Risk.MEDIUM, Risk.LOW, Risk.LOW);
    assertThat(plan.phases().subList(0, 6)).extracting(Phase::bake).containsOnly(Duration.ofHours(24));
    assertThat(plan.phases().get(6).bake()).isEqualTo(Duration.ofHours(48));
    Window lowTraffic = plan.phases().get(1).window();
    assertThat(lowTraffic.start()).isEqualTo(LocalTime.of(2, 0));
    assertThat(lowTraffic.end()).isEqualTo(LocalTime.of(4, 0));
    assertThat(lowTraffic.timeZone()).isEqualTo("UTC");
    List<Step> day4 = plan.phases().get(3).steps();
    assertThat(day4.get(0)).isEqualTo(new Step.Backup("Create database backup", "drivemind"));
    assertThat(day4).filteredOn(Step.Migrate.class::isInstance).singleElement()
        .extracting(s -> ((Step.Migrate) s).database()).isEqualTo("drivemind");
    assertThat(plan.triggers()).extracting(Gate::describe).containsExactly(
        "error_rate > 5%", "p99_latency > 2000ms", "memory_usage > 90%", "cpu_usage > 85%",
        "health_check_failures > 3");
    assertThat(plan.phases().get(0).triggers()).extracting(Gate::describe).containsExactly(
        "p99_latency > 20% vs baseline", "error_rate > 5% vs baseline", "memory_usage > 30% vs baseline");
    assertThat(plan.phases().get(0).gates()).extracting(Gate::describe)
        .containsExactly("p99_latency < 1000ms", "error_rate < 1%");
    assertThat(plan.phases().get(1).gates()).extracting(Gate::describe)
        .contains("api_p95_latency < 500ms", "cache_hit_rate > 60%");
    assertThat(plan.roles()).containsExactly(
        "Engineering Lead", "Safety Coordinator", "DevOps Team", "Product Manager");
    assertThat(plan.phases().get(0).entryApproval().requiredApprovals()).isEqualTo(4);
    assertThat(checklistItems(plan)).contains("Security audit passed", "Stakeholders notified");
    assertThat(flags(plan.phases().get(0))).containsEntry("enableCaching", true)
        .containsEntry("enableParallelQueries", false);
    assertThat(flags(plan.phases().get(1))).containsEntry("maxRetryAttempts", 3)
        .containsEntry("enableCircuitBreaker", true);
    assertThat(flags(plan.phases().get(3))).containsEntry("enableParallelQueries", true);
    assertThat(percents(plan.phases().get(4))).containsExactly(10.0, 50.0, 100.0);
    assertThat(plan.phases().get(3).rollback()).hasSize(2);
  }

  @Test
  void dealerscopeTurnsOnTheSeedsFlagsPhaseByPhaseOverEightWeeks() {
    Plan plan = SeedPlans.load("dealerscope-feature-flags.yaml");

    assertThat(plan.phases()).hasSize(4).extracting(Phase::bake).containsOnly(Duration.ofDays(14));
    assertThat(flags(plan.phases().get(0))).containsExactly(
        Map.entry("ENABLE_CURSOR_PAGINATION", true), Map.entry("ENABLE_PRODUCTION_CACHE", true),
        Map.entry("ENABLE_SINGLE_FLIGHT", true), Map.entry("ENABLE_TTL_JITTER", true),
        Map.entry("LEGACY_PAGE_API", true), Map.entry("CACHE_PROVIDER", "memory"));
    assertThat(flags(plan.phases().get(1))).containsOnlyKeys("ENABLE_CIRCUIT_BREAKERS",
        "ENABLE_RATE_LIMITING", "ENABLE_INPUT_VALIDATION", "ENABLE_CSRF_PROTECTION", "API_RATE_LIMITING");
    assertThat(flags(plan.phases().get(2))).containsEntry("MAX_BROWSER_CONTEXTS", 3)
        .containsEntry("ENABLE_ANOMALY_DETECTION", true);
    assertThat(flags(plan.phases().get(3))).containsEntry("CACHE_PROVIDER", "redis")
        .containsEntry("MAX_BROWSER_CONTEXTS", 10).containsEntry("CACHE_MAX_SIZE", 5000)
        .containsEntry("ENABLE_BROWSER_POOL", true);
    for (Phase phase : plan.phases()) {
      assertThat(phase.gates()).extracting(Gate::describe).as(phase.name()).contains(
          "p95_latency < 200ms", "memory_usage < 120MB", "cache_hit_rate > 70%", "error_rate < 0.1%");
    }
    assertThat(plan.phases().get(0).triggers()).extracting(Gate::describe).containsExactly(
        "p95_latency > 250ms for 5m", "memory_usage > 150MB for 10m", "error_rate > 1% for 3m");
    assertThat(plan.triggers()).extracting(Gate::describe).containsExactly(
        "slo_violation > 0 for 5m", "error_rate > 2% for 3m", "memory_usage > 200MB for 10m");
    assertThat(plan.phases().get(3).gates()).extracting(Gate::describe)
        .contains("redis_cache_hit_rate > 85%", "browser_contexts >= 10");
    assertThat(plan.resources().notifiers().values()).filteredOn(Notifier.Slack.class::isInstance)
        .extracting(n -> ((Notifier.Slack) n).channel()).containsExactlyInAnyOrder(
            "#dealerscope-incidents", "#dealerscope-alerts", "#dealerscope-deployments",
            "#dealerscope-performance");
    assertThat(plan.phases().get(3).rollback().get(1)).isEqualTo(
        new Step.Scale("Scale down browser pool", "browser-pool", 0));
    // the runbook's "./scripts/rollback-feature-flags.sh --phase=1", by allow-listed id, within 5 minutes
    assertThat(plan.phases().get(0).rollback().get(0)).isEqualTo(new Step.Run(
        "./scripts/rollback-feature-flags.sh --phase=1", "rollback-feature-flags-phase-1", null, null, Duration.ofMinutes(5)));
    // "<0.1 % error rate increase" in percentage points: it can pass at an error-free baseline
    assertThat(plan.phases().get(0).gates()).extracting(Gate::describe).contains("error_rate < 0.1pp vs baseline");
  }

  @Test
  void thePhasedProgrammeSpendsTwoWeeksPerPhaseWithAWeekOfObjectivesEach() {
    Plan plan = SeedPlans.load("phased-programme-8-weeks.yaml");

    assertThat(plan.phases()).hasSize(4);
    assertThat(plan.phases()).extracting(Phase::risk)
        .containsExactly(Risk.LOW, Risk.MEDIUM, Risk.LOW, Risk.LOW);
    for (Phase phase : plan.phases()) {
      Duration weekOne = phase.steps().stream().filter(Step.Bake.class::isInstance)
          .map(s -> ((Step.Bake) s).duration()).reduce(Duration.ZERO, Duration::plus);
      assertThat(weekOne.plus(phase.bake())).as(phase.name()).isEqualTo(Duration.ofDays(14));
    }
    assertThat(checklistItems(plan)).contains("Implement OPA policy enforcement",
        "Set up Gitleaks secret scanning", "Refactor AgentDashboard into modular components",
        "Complete documentation updates");
    assertThat(plan.phases().get(0).gates()).extracting(Gate::describe)
        .contains("security_score >= 85%", "cicd_reliability > 95%");
    assertThat(plan.phases().get(2).gates()).extracting(Gate::describe)
        .contains("bundle_size <= -20% vs baseline", "build_time < 30s", "page_load_time < 1.5s");
    assertThat(plan.phases().get(3).gates()).extracting(Gate::describe)
        .contains("maintainability_index >= 90%", "test_coverage >= 80%", "system_reliability > 99%");
    assertThat(plan.phases().get(3).exitApproval().roles()).contains("Stakeholders");
    assertThat(plan.phases()).extracting(p -> p.rollback().isEmpty()).containsOnly(false);
  }

  @Test
  void theCanaryShiftsTenTwentyFiveFiftyAHundredPercentThroughItsFlag() {
    Plan plan = SeedPlans.load("batch-patches-canary.yaml");

    assertThat(plan.phases()).hasSize(4);
    assertThat(plan.phases()).flatExtracting(SeedPlansTest::percents).containsExactly(10.0, 25.0, 50.0, 100.0);
    assertThat(plan.phases()).extracting(Phase::bake).containsExactly(
        Duration.ofHours(24), Duration.ofHours(48), Duration.ofHours(48), Duration.ofHours(48));
    assertThat(plan.resources().routers().get("batch-patches-v1"))
        .isEqualTo(new Router.FlagPercentage("feature-flags", "batch-patches-v1"));
    assertThat(plan.phases()).extracting(p -> p.gates().get(0).interval()).containsExactly(
        Duration.ofMinutes(15), Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofMinutes(1));
    assertThat(plan.phases().get(0).gates()).extracting(Gate::describe)
        .containsExactly("critical_alerts <= 0", "error_rate < 5%", "p95_latency < 500ms");
    assertThat(plan.phases().get(0).triggers()).extracting(Gate::describe)
        .contains("error_rate > 10% for 5m");
    assertThat(plan.phases().get(1).triggers()).extracting(Gate::describe)
        .contains("error_rate > 5% vs baseline", "p99_latency > 50% vs baseline");
    assertThat(plan.phases().get(2).triggers()).extracting(Gate::describe)
        .contains("customer_escalations > 5");
    assertThat(plan.phases().get(0).entryApproval().roles()).containsExactly(
        "Development Lead", "Operations Lead", "Product Manager", "Incident Commander");
    // the Warning column notifies (and reminds), the Critical column rolls back; 2 weeks watched after
    assertThat(plan.triggers()).filteredOn(g -> g.firingAction() == dev.rollout.plan.TriggerAction.NOTIFY)
        .extracting(Gate::describe).containsExactly("error_rate > 5%", "success_rate < 95%", "p95_latency > 600ms",
            "p99_latency > 800ms", "memory_usage > 50% vs baseline", "cpu_usage > 40% vs baseline",
            "invariant_violations > 5");
    assertThat(plan.triggers()).filteredOn(g -> g.firingAction() == dev.rollout.plan.TriggerAction.ROLLBACK)
        .extracting(Gate::describe).contains("error_rate > 10%", "p99_latency > 1500ms");
    assertThat(plan.watch()).isEqualTo(Duration.ofDays(14));
    assertThat(plan.phases().get(1).exitApproval().quorum()).isEqualTo(2);
    assertThat(plan.phases().get(1).exitApproval().deadline()).isEqualTo(Duration.ofHours(24));
    assertThat(plan.resources().notifiers()).containsEntry("alerts-critical",
        new Notifier.Slack("SLACK_ALERTS_CRITICAL_WEBHOOK", "#alerts-critical"));
    assertThat(plan.resources().notifiers().get("pagerduty")).isInstanceOf(Notifier.PagerDuty.class);
    assertThat(checklistItems(plan)).anyMatch(i -> i.startsWith("Security audit passed"));
  }

  @Test
  void blueGreenPromotesDevelopmentStagingProductionWithExpandThenContract() {
    Plan plan = SeedPlans.load("blue-green-promotion.yaml");

    assertThat(plan.phases()).extracting(Phase::name).containsExactly("development", "staging", "production");
    assertThat(plan.targets()).extracting(Target::environment)
        .containsExactly("development", "staging", "production");
    Phase production = plan.phases().get(2);
    assertThat(production.entryApproval().roles()).isNotEmpty();
    assertThat(production.window().days()).containsExactly(DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY);
    assertThat(percents(production)).containsExactly(10.0, 25.0, 50.0, 100.0);
    List<Step> steps = production.steps();
    int backup = indexOf(steps, Step.Backup.class);
    int expand = indexOf(steps, Step.Migrate.class);
    int deploy = indexOf(steps, Step.Deploy.class);
    int contract = steps.size() - 2;
    assertThat(((Step.Migrate) steps.get(expand)).phase()).isEqualTo(MigrationPhase.EXPAND);
    assertThat(((Step.Migrate) steps.get(contract)).phase()).isEqualTo(MigrationPhase.CONTRACT);
    assertThat(backup).isLessThan(expand);
    assertThat(expand).isLessThan(deploy);
    assertThat(steps.subList(0, contract)).filteredOn(Step.ShiftTraffic.class::isInstance).last()
        .extracting(s -> ((Step.ShiftTraffic) s).percent()).isEqualTo(100.0);
    assertThat(plan.triggers()).extracting(Gate::describe).contains(
        "p95_latency > 500ms for 2m", "error_rate > 1% for 2m", "cpu_usage > 90%", "memory_usage > 90%");
    assertThat(production.triggers()).extracting(Gate::describe).contains("p95_latency > 50% vs baseline for 5m");
  }

  private static List<String> checklistItems(Plan plan) {
    return plan.phases().stream().flatMap(p -> p.steps().stream())
        .filter(Step.Checklist.class::isInstance).map(s -> ((Step.Checklist) s).item()).toList();
  }

  /** Every flag value a phase's steps set, later steps winning. */
  private static Map<String, Object> flags(Phase phase) {
    Map<String, Object> values = new java.util.LinkedHashMap<>();
    phase.steps().stream().filter(Step.SetFlags.class::isInstance)
        .forEach(s -> values.putAll(((Step.SetFlags) s).values()));
    return values;
  }

  private static List<Double> percents(Phase phase) {
    return phase.steps().stream().filter(Step.ShiftTraffic.class::isInstance)
        .map(s -> ((Step.ShiftTraffic) s).percent()).toList();
  }

  private static int indexOf(List<Step> steps, Class<? extends Step> kind) {
    for (int i = 0; i < steps.size(); i++) if (kind.isInstance(steps.get(i))) return i;
    return -1;
  }
}
