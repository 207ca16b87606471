package dev.rollout.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The numbers and names each seed document gives survived into its plan file: one test per item
 * of the seed (a section, a table, a runbook), so a dropped item names itself.
 */
class SeedPlansTest {

  @Nested
  class DriveMind {
    private final Plan plan = SeedPlans.load("drivemind-7-day.yaml");

    @Test
    void sevenDailyPhasesWithTheRiskMatrix() {
      assertThat(plan.phases()).hasSize(7);
      assertThat(plan.phases()).extracting(Phase::risk).containsExactly(
          Risk.LOW, Risk.MEDIUM, Risk.LOW, Risk.HIGH, Risk.MEDIUM, Risk.LOW, Risk.LOW);
      assertThat(plan.phases()).extracting(Phase::bake).containsOnly(Duration.ofHours(24));
      List<String> impacts = List.of("performance", "API stability", "test quality", "data integrity", "user experience",
          "compliance", "minor issues");
      for (int i = 0; i < 7; i++) {
        assertThat(plan.phases().get(i).description()).contains("Impact: " + impacts.get(i) + ".");
      }
    }

    @Test
    void phaseOneTargetsAndRollbackTriggersReadPercentagePointsForTheErrorRate() {
      assertThat(plan.phases().get(0).gates()).extracting(Gate::describe)
          .containsExactly("p99_latency < 1000ms", "error_rate < 1%");
      // latency and memory grow proportionally; an error rate rises in points (0% + 5% of 0 is 0)
      assertThat(plan.phases().get(0).triggers()).extracting(Gate::describe).containsExactly(
          "p99_latency > 20% vs baseline", "error_rate > 5pp vs baseline", "memory_usage > 30% vs baseline");
    }

    @Test
    void phaseTwoRunsInTheLowTrafficWindowWithItsSuccessMetrics() {
      Window lowTraffic = plan.phases().get(1).window();
      assertThat(lowTraffic.start()).isEqualTo(LocalTime.of(2, 0));
      assertThat(lowTraffic.end()).isEqualTo(LocalTime.of(4, 0));
      assertThat(lowTraffic.timeZone()).isEqualTo("UTC");
      assertThat(plan.phases().get(1).gates()).extracting(Gate::describe)
          .contains("api_p95_latency < 500ms", "cache_hit_rate > 60%");
      assertThat(plan.phases().get(1).steps()).filteredOn(Step.Bake.class::isInstance).singleElement()
          .satisfies(s -> assertThat(((Step.Bake) s).duration()).isEqualTo(Duration.ofHours(4)))
          .satisfies(s -> assertThat(((Step.Bake) s).gates()).extracting(Gate::describe).containsExactly("critical_errors <= 0"));
    }

    @Test
    void phaseThreeVerifiesCoverageAndTheFourRemainingFailures() {
      assertThat(checklistItems(plan.phases().get(2))).containsExactly(
          "1. Run full test suite in CI/CD (4 remaining failures fixed)", "3. Verify test coverage >80%",
          "4. Run integration tests");
    }

    @Test
    void phaseFourBacksUpFirstAndLeavesTheRestoreToAPerson() {
      List<Step> day4 = plan.phases().get(3).steps();
      assertThat(day4.get(0)).isEqualTo(new Step.Backup("1. Create database backup", "drivemind"));
      assertThat(day4).filteredOn(Step.Migrate.class::isInstance).singleElement()
          .extracting(s -> ((Step.Migrate) s).database()).isEqualTo("drivemind");
      // "Restore from backup if needed" is a decision, never an automatic restore
      assertThat(plan.resources().databases().get("drivemind").onRollback()).isEqualTo(DatabaseRestore.DECIDE);
      // not additive: its backup stays restorable (an expand's undo is nothing), by a person only,
      // and the rest of a rollback still runs after it
      assertThat(day4).filteredOn(Step.Migrate.class::isInstance).singleElement()
          .extracting(s -> ((Step.Migrate) s).phase()).isEqualTo(MigrationPhase.CONTRACT);
      assertThat(plan.resources().databases().get("drivemind").afterContract()).isEqualTo(AfterContract.ROLLBACK_SAFE);
      assertThat(plan.phases().get(3).rollback()).extracting(Step::name)
          .containsExactly("Revert query optimizations", "Switch to synchronous operations");
      assertThat(flags(plan.phases().get(3))).containsEntry("enableParallelQueries", true);
    }

    @Test
    void phaseFiveStartsTheAbTestAtTenPercent() {
      assertThat(percents(plan.phases().get(4))).containsExactly(10.0, 50.0, 100.0);
    }

    @Test
    void theAutomatedRollbackConditions() {
      assertThat(plan.triggers()).extracting(Gate::describe).containsExactly(
          "error_rate > 5%", "p99_latency > 2000ms", "memory_usage > 90%", "cpu_usage > 85%",
          "health_check_failures > 3");
    }

    @Test
    void theManualRollbackScriptRunsFirstInAnyRollback() {
      assertThat(plan.rollback()).singleElement().isInstanceOf(Step.Run.class)
          .satisfies(s -> assertThat(((Step.Run) s).name()).isEqualTo("./scripts/rollback.sh"))
          .satisfies(s -> assertThat(((Step.Run) s).command()).isEqualTo("rollback-script"));
    }

    @Test
    void theFeatureFlagsConfiguration() {
      assertThat(flags(plan.phases().get(0))).containsEntry("enableCaching", true)
          .containsEntry("enableQueryOptimizer", true).containsEntry("enableErrorRecovery", true)
          .containsEntry("enableParallelQueries", false);
      assertThat(flags(plan.phases().get(1))).containsEntry("maxRetryAttempts", 3)
          .containsEntry("enableCircuitBreaker", true);
    }

    @Test
    void theTenItemPreDeploymentChecklist() {
      List<Step> day1 = plan.phases().get(0).steps();
      assertThat(checklistItems(plan.phases().get(0))).contains("All tests passing (100% pass rate)",
          "Performance benchmarks complete", "Security audit passed", "Rollback scripts tested (./scripts/rollback.sh)",
          "Monitoring alerts set up", "On-call schedule confirmed", "Documentation updated", "Stakeholders notified");
      assertThat(day1).anyMatch(s -> s instanceof Step.Backup b && b.name().equals("Database backup created"));
      assertThat(day1).anyMatch(s -> s instanceof Step.SetFlags f && f.name().equals("Feature flags configured"));
    }

    @Test
    void theKeyMetricsToMonitorAreDeclared() {
      assertThat(plan.metrics()).containsKeys("p95_latency", "p99_latency", "throughput", "error_rate",
          "success_rate", "cpu_usage", "memory_usage", "database_connections", "active_users", "request_patterns");
    }

    @Test
    void noCriticalIncidentsInTheFirst48HoursIsWatchedAfterDaySeven() {
      assertThat(plan.watch()).isEqualTo(Duration.ofHours(48));
      assertThat(plan.phases().get(6).triggers()).extracting(Gate::describe).containsExactly("critical_errors > 0");
      assertThat(plan.phases().get(6).gates()).extracting(Gate::describe)
          .containsExactly("p99_latency < 1000ms", "error_rate < 1%");
    }

    @Test
    void theFourApproversApproveBeforeAnythingIsDeployed() {
      assertThat(plan.roles()).containsExactly(
          "Engineering Lead", "Safety Coordinator", "DevOps Team", "Product Manager");
      assertThat(plan.phases().get(0).entryApproval().requiredApprovals()).isEqualTo(4);
    }
  }

  @Nested
  class DealerScope {
    private final Plan plan = SeedPlans.load("dealerscope-feature-flags.yaml");

    @Test
    void fourTwoWeekPhasesTurningOnTheSeedsFlags() {
      assertThat(plan.phases()).hasSize(4).extracting(Phase::bake).containsOnly(Duration.ofDays(14));
      assertThat(flags(plan.phases().get(0))).containsExactly(
          Map.entry("ENABLE_CURSOR_PAGINATION", true), Map.entry("ENABLE_PRODUCTION_CACHE", true),
          Map.entry("ENABLE_SINGLE_FLIGHT", true), Map.entry("ENABLE_TTL_JITTER", true),
          Map.entry("LEGACY_PAGE_API", true), Map.entry("CACHE_PROVIDER", "memory"));
      assertThat(flags(plan.phases().get(1))).containsOnlyKeys("ENABLE_CIRCUIT_BREAKERS",
          "ENABLE_RATE_LIMITING", "ENABLE_INPUT_VALIDATION", "ENABLE_CSRF_PROTECTION", "API_RATE_LIMITING");
      assertThat(flags(plan.phases().get(2))).containsEntry("MAX_BROWSER_CONTEXTS", 3)
          .containsEntry("ENABLE_ANOMALY_DETECTION", true).containsEntry("ENABLE_SCHEMA_VALIDATION", true)
          .containsEntry("ENABLE_PROVENANCE_TRACKING", true);
      assertThat(flags(plan.phases().get(3))).containsEntry("CACHE_PROVIDER", "redis")
          .containsEntry("MAX_BROWSER_CONTEXTS", 10).containsEntry("CACHE_MAX_SIZE", 5000)
          .containsEntry("ENABLE_BROWSER_POOL", true);
    }

    @Test
    void everyPhaseMeetsThePerformanceGatesAndLaterPhasesKeepTheEarlierOnes() {
      for (Phase phase : plan.phases()) {
        assertThat(phase.gates()).extracting(Gate::describe).as(phase.name()).contains(
            "p95_latency < 200ms", "memory_usage < 120MB", "cache_hit_rate > 70%", "error_rate < 0.1%");
      }
      for (Phase phase : plan.phases().subList(1, 4)) {
        assertThat(phase.gates()).extracting(Gate::describe).as(phase.name())
            .contains("circuit_breaker_detection < 5s", "security_scan_failures <= 0");
      }
      for (Phase phase : plan.phases().subList(2, 4)) {
        assertThat(phase.gates()).extracting(Gate::describe).as(phase.name())
            .contains("contract_compliance > 95%", "anomaly_false_positives < 1%", "provenance_tracked >= 100%");
      }
    }

    @Test
    void phaseOneAcceptanceCriteriaWithTheErrorRateIncreaseInPercentagePoints() {
      // "<0.1 % error rate increase" in percentage points: it can pass at an error-free baseline
      assertThat(plan.phases().get(0).gates()).extracting(Gate::describe)
          .contains("error_rate < 0.1pp vs baseline", "api_compatibility_breaks <= 0");
      assertThat(plan.phases().get(0).triggers()).filteredOn(g -> g.firingAction() == TriggerAction.ROLLBACK)
          .extracting(Gate::describe).containsExactly(
              "p95_latency > 250ms for 5m", "memory_usage > 150MB for 10m", "error_rate > 1% for 3m");
    }

    @Test
    void phaseOneTargetsTellThePerformanceChannel() {
      assertThat(plan.phases().get(0).triggers()).filteredOn(g -> g.firingAction() == TriggerAction.NOTIFY)
          .allSatisfy(g -> assertThat(g.notifier()).isEqualTo("dealerscope-performance"))
          .extracting(Gate::describe).containsExactly("p95_latency > 150ms", "memory_usage > 85MB", "cache_hit_rate < 78%");
    }

    @Test
    void phaseTwoSecurityCriteria() {
      assertThat(plan.phases().get(1).gates()).extracting(Gate::describe).contains(
          "rate_limit_per_ip <= 100", "csrf_unprotected_forms <= 0", "uptime >= 99.9%");
      assertThat(plan.phases().get(1).triggers()).extracting(Gate::describe).containsExactly(
          "circuit_breaker_false_positives > 5%", "legitimate_requests_blocked > 1%", "security_scan_failures > 0");
      assertThat(plan.phases().get(1).exitApproval().roles()).containsExactly("Engineering Team", "Management");
    }

    @Test
    void phaseThreeDataQualityCriteria() {
      assertThat(plan.phases().get(2).gates()).extracting(Gate::describe).contains(
          "page_load_time < 30s", "data_quality_score > 90%");
      assertThat(plan.phases().get(2).triggers()).extracting(Gate::describe).containsExactly(
          "contract_compliance < 90%", "anomaly_false_positives > 5%", "browser_pool_failures > 10%");
    }

    @Test
    void phaseFourObservabilityCriteria() {
      assertThat(plan.phases().get(3).gates()).extracting(Gate::describe)
          .contains("redis_cache_hit_rate > 85%", "browser_contexts >= 10");
      assertThat(checklistItems(plan.phases().get(3))).contains("SRE console operational", "Runbook validated",
          "Production-ready scaling");
    }

    @Test
    void theAutomatedRollbackTriggers() {
      assertThat(plan.triggers()).extracting(Gate::describe).containsExactly(
          "slo_violation > 0 for 5m", "error_rate > 2% for 3m", "memory_usage > 200MB for 10m");
    }

    @Test
    void theKillSwitchAndBrowserPoolScaleDownRunFirstInAnyRollback() {
      assertThat(plan.rollback()).containsExactly(
          new Step.SetEnv("Kill switch - disable all new features", "dealerscope-api", Map.of("FF_EMERGENCY_ROLLBACK", "true")),
          new Step.Scale("Scale down resource-intensive features", "browser-pool", 0));
    }

    @Test
    void theManualRollbackProcessAndTheAdminApiOverrides() {
      List<Step> phase1 = plan.phases().get(0).rollback();
      // the runbook's "./scripts/rollback-feature-flags.sh --phase=1", by allow-listed id, within 5 minutes
      assertThat(phase1.get(0)).isEqualTo(new Step.Run(
          "./scripts/rollback-feature-flags.sh --phase=1", "rollback-feature-flags-phase-1", null, null, Duration.ofMinutes(5)));
      assertThat(phase1.get(1)).isInstanceOfSatisfying(Step.Http.class, h -> {
        assertThat(h.name()).isEqualTo("Emergency cache disable");
        assertThat(h.method()).isEqualTo("POST");
        assertThat(h.url()).isEqualTo("https://api.dealerscope.com/admin/feature-flags");
        assertThat(h.body()).isEqualTo("{\"ENABLE_PRODUCTION_CACHE\": false}");
        assertThat(h.secretHeader()).isEqualTo(new Step.Http.SecretHeader("Authorization", "DEALERSCOPE_ADMIN_TOKEN"));
      });
      // "# 4. Verify rollback success" after the other rollback steps of every phase
      assertThat(phase1).filteredOn(Step.Run.class::isInstance).last()
          .extracting(s -> ((Step.Run) s).command()).isEqualTo("validate-rollback");
    }

    @Test
    void thePartialRollbackOfPhaseFourWithinFifteenMinutes() {
      List<Step> phase4 = plan.phases().get(3).rollback();
      assertThat(phase4.get(0)).isEqualTo(new Step.Run(
          "./scripts/rollback-phase.sh --phase=4 --features=browser_pool,redis_cache",
          "rollback-phase-4-browser-pool-redis-cache", null, null, Duration.ofMinutes(15)));
      assertThat(phase4).filteredOn(Step.Http.class::isInstance).singleElement()
          .extracting(s -> ((Step.Http) s).body()).isEqualTo("{\"MAX_BROWSER_CONTEXTS\": 5}");
    }

    @Test
    void theSlackChannelsOfMonitoringAndAlerting() {
      // the seed's four channels, and the two the communication plan's later rungs reach (chosen by us)
      assertThat(plan.resources().notifiers().values()).filteredOn(Notifier.Slack.class::isInstance)
          .extracting(n -> ((Notifier.Slack) n).channel()).containsExactlyInAnyOrder(
              "#dealerscope-incidents", "#dealerscope-alerts", "#dealerscope-deployments",
              "#dealerscope-performance", "#dealerscope-management", "#dealerscope-customer-comms");
      // "#dealerscope-alerts (Critical issues)": a rollback; "(Deployment status)": everything else
      assertThat(plan.notifications().onRollback()).isEqualTo("dealerscope-alerts");
      assertThat(plan.notifications().notifier()).isEqualTo("dealerscope-deployments");
      assertThat(plan.notifications().onComplete()).isEqualTo("dealerscope-deployments");
    }

    @Test
    void theCommunicationPlanIsAnEscalationChainAtZeroTwoFiveAndTenMinutes() {
      // "0-2 minutes: #dealerscope-incidents, 2-5: engineering, 5-10: management, 10+: customers"
      assertThat(plan.notifications().escalation()).containsExactly(
          new Escalation(Duration.ZERO, "dealerscope-incidents"),
          new Escalation(Duration.ofMinutes(2), "dealerscope-engineering"),
          new Escalation(Duration.ofMinutes(5), "dealerscope-management"),
          new Escalation(Duration.ofMinutes(10), "dealerscope-customer-comms"));
      assertThat(plan.resources().notifiers().get("dealerscope-incidents"))
          .isEqualTo(new Notifier.Slack("SLACK_DEALERSCOPE_INCIDENTS_WEBHOOK", "#dealerscope-incidents"));
      assertThat(plan.resources().notifiers().get("dealerscope-engineering")).isInstanceOf(Notifier.PagerDuty.class);
    }

    @Test
    void theZeroDowntimeMigrationIsAdditiveAndNeverRestoredByItself() {
      assertThat(plan.phases().get(0).steps()).filteredOn(Step.Migrate.class::isInstance).singleElement()
          .extracting(s -> ((Step.Migrate) s).phase()).isEqualTo(MigrationPhase.EXPAND);
      assertThat(plan.resources().databases().get("dealerscope").onRollback()).isEqualTo(DatabaseRestore.DECIDE);
    }
  }

  @Nested
  class PhasedProgramme {
    private final Plan plan = SeedPlans.load("phased-programme-8-weeks.yaml");

    @Test
    void twoWeeksPerPhaseWithAWeekOfObjectivesEach() {
      assertThat(plan.phases()).hasSize(4);
      assertThat(plan.phases()).extracting(Phase::risk)
          .containsExactly(Risk.LOW, Risk.MEDIUM, Risk.LOW, Risk.LOW);
      for (Phase phase : plan.phases()) {
        Duration weekOne = phase.steps().stream().filter(Step.Bake.class::isInstance)
            .map(s -> ((Step.Bake) s).duration()).reduce(Duration.ZERO, Duration::plus);
        assertThat(weekOne.plus(phase.bake())).as(phase.name()).isEqualTo(Duration.ofDays(14));
      }
    }

    @Test
    void theWeeklyObjectives() {
      assertThat(plan.phases().stream().flatMap(p -> checklistItems(p).stream())).contains(
          "Implement OPA policy enforcement", "Set up Gitleaks secret scanning", "Configure enhanced CI/CD pipeline",
          "Establish baseline metrics collection", "Implement XSS prevention measures",
          "Refactor AgentDashboard into modular components", "Set up component testing framework",
          "Deploy enhanced development tooling", "Conduct performance testing", "Set up comprehensive logging",
          "Complete documentation updates");
    }

    @Test
    void theSuccessCriteriaOfEachPhase() {
      assertThat(plan.phases().get(0).gates()).extracting(Gate::describe)
          .containsExactly("security_score >= 85%", "critical_vulnerabilities <= 0", "cicd_reliability > 95%");
      assertThat(plan.phases().get(1).gates()).extracting(Gate::describe).containsExactly(
          "component_modularity > 80%", "test_coverage >= 60%", "component_load_time < 200ms", "breaking_api_changes <= 0");
      assertThat(plan.phases().get(2).gates()).extracting(Gate::describe)
          .containsExactly("performance_score >= 85%", "bundle_size <= -20% vs baseline", "build_time < 30s", "page_load_time < 1.5s");
      assertThat(plan.phases().get(3).gates()).extracting(Gate::describe)
          .contains("maintainability_index >= 90%", "test_coverage >= 80%", "system_reliability > 99%",
              "documentation_coverage >= 100%");
    }

    @Test
    void allSuccessMetricsAchievedMeansTheProgrammesTargetsAtTheEnd() {
      assertThat(plan.phases().get(3).gates()).extracting(Gate::describe).contains(
          "security_score >= 95%", "performance_score >= 85%", "cicd_reliability >= 98%", "critical_issues <= 0");
      assertThat(plan.phases().get(3).exitApproval().roles()).contains("Stakeholders");
    }

    @Test
    void aThirtyDayMonitoringPeriodAfterTheLastPhase() {
      assertThat(plan.watch()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void weeklyStakeholderUpdatesEveryWeek() {
      List<String> updates = plan.phases().stream().flatMap(p -> p.steps().stream())
          .filter(Step.Notify.class::isInstance).map(s -> ((Step.Notify) s).message()).toList();
      assertThat(updates).hasSize(8);
      for (int week = 1; week <= 8; week++) {
        String w = "week " + week + " ";
        assertThat(updates).as(w).anyMatch(m -> m.contains(w));
      }
    }

    @Test
    void preDeploymentValidationBeforeEveryPhase() {
      assertThat(checklistItems(plan.phases().get(0))).contains("Automated testing suite execution",
          "Security vulnerability scanning", "Performance regression testing", "Configuration validation");
      for (Phase phase : plan.phases().subList(1, 4)) {
        assertThat(checklistItems(phase).get(0)).as(phase.name()).startsWith("Pre-deployment validation");
      }
    }

    @Test
    void everyPhaseHasItsRollbackPlanWithItsEstimatedTime() {
      assertThat(plan.phases()).extracting(p -> p.rollback().isEmpty()).containsOnly(false);
      // a rollback does not wait for a checklist: what people do is told to them
      assertThat(plan.phases()).flatExtracting(Phase::rollback).noneMatch(Step.Checklist.class::isInstance);
      assertThat(plan.phases()).extracting(Phase::description).containsExactly(
          "Weeks 1-2. Priority: critical. Risk level: low. Rollback time < 2 hours (estimated rollback time: 90 minutes).",
          "Weeks 3-4. Priority: high. Risk level: medium. Rollback time < 4 hours (estimated rollback time: 3 hours).",
          "Weeks 5-6. Priority: medium. Risk level: low. Rollback time < 2 hours (estimated rollback time: 90 minutes).",
          "Weeks 7-8. Priority: low. Risk level: low. Rollback time < 1 hour (estimated rollback time: 45 minutes).");
      assertThat(plan.phases().get(0).rollback()).filteredOn(Step.Notify.class::isInstance)
          .extracting(s -> ((Step.Notify) s).message()).containsExactly(
              "Phase 1 rollback: revert to previous CI/CD configuration", "Phase 1 rollback: restore original monitoring setup");
    }
  }

  @Nested
  class Canary {
    private final Plan plan = SeedPlans.load("batch-patches-canary.yaml");
    private final List<Phase> waves = plan.phases();

    @Test
    void fourWavesTenTwentyFiveFiftyAHundredPercentThroughTheFlag() {
      assertThat(plan.phases()).extracting(Phase::name).containsExactly("wave-1-internal",
          "wave-2-beta", "wave-3-gradual-ga", "wave-4-full-production");
      assertThat(plan.phases()).flatExtracting(SeedPlansTest::percents).containsExactly(10.0, 25.0, 50.0, 100.0);
      assertThat(waves).extracting(Phase::bake).containsExactly(
          Duration.ofHours(24), Duration.ofHours(48), Duration.ofHours(48), Duration.ofHours(48));
      assertThat(plan.resources().routers().get("batch-patches-v1"))
          .isEqualTo(new Router.FlagPercentage("feature-flags", "batch-patches-v1"));
    }

    @Test
    void theLoadBalancerIsReadyAsTheBackup() {
      assertThat(plan.resources().routers().get("batch-patches-lb")).isInstanceOfSatisfying(Router.Nginx.class, lb -> {
        assertThat(lb.stable()).isEqualTo("10.0.0.10:3000");
        assertThat(lb.canary()).isEqualTo("10.0.1.10:3000");
      });
    }

    @Test
    void theWholePreDeploymentChecklist() {
      List<String> items = checklistItems(plan.phases().get(0));
      assertThat(items).hasSize(35).contains(
          "All phases 00-E complete and tested (95+ tests, 100% pass)", "Code review completed (2+ reviewers)",
          "Performance baseline established (< 5ms per 500 patches)", "PagerDuty integration active",
          "Slack #alerts-critical + #alerts-warnings channels ready", "Logging aggregation (CloudWatch / ELK) ready",
          "DNS / Load balancer configured for canary traffic splitting", "Incident commander identified for each wave",
          "Rollback procedure tested (at least once)", "Product manager: Feature readiness sign-off",
          "Security: CISO approval", "Operations: Infrastructure readiness", "Legal (if applicable): Data privacy review");
    }

    @Test
    void theSignOffComesAfterTheChecklistItAttests() {
      Phase wave1 = plan.phases().get(0);
      List<String> items = checklistItems(wave1);
      int signOff = items.indexOf("Development Lead: All pre-deployment checks complete");
      assertThat(signOff).isEqualTo(items.indexOf("Legal (if applicable): Data privacy review") + 1);
      // no approval before the steps attests what the steps have not confirmed yet
      assertThat(wave1.entryApproval()).isNull();
      List<Step.Checklist> signOffs = wave1.steps().stream().filter(Step.Checklist.class::isInstance)
          .map(Step.Checklist.class::cast).toList().subList(signOff, signOff + 11);
      assertThat(signOffs).extracting(c -> c.item().substring(0, c.item().indexOf(':')) + " " + c.roles()).containsExactly(
          "Development Lead [Development Lead]", "Development Lead [Development Lead]", "Development Lead [Development Lead]",
          "Operations Lead [Operations Lead]", "Operations Lead [Operations Lead]", "Operations Lead [Operations Lead]",
          "Product Manager [Product Manager]", "Product Manager [Product Manager]",
          "Incident Commander [Incident Commander]", "Incident Commander [Incident Commander]",
          "Incident Commander [Incident Commander]");
      assertThat(items).contains("Incident Commander: Available for all 4 waves", "Operations Lead: Runbooks tested",
          "Product Manager: Customer communication plan ready");
      // and all of it before the flag moves to 10%
      int lastChecklist = wave1.steps().indexOf(signOffs.get(10));
      assertThat(wave1.steps().subList(0, lastChecklist)).noneMatch(Step.ShiftTraffic.class::isInstance);
    }

    @Test
    void eachWaveIsMonitoredAtItsOwnInterval() {
      assertThat(waves).extracting(p -> p.gates().get(0).interval()).containsExactly(
          Duration.ofMinutes(15), Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofMinutes(1));
    }

    @Test
    void waveOneGoNoGoAndRollbackTriggers() {
      assertThat(waves.get(0).gates()).extracting(Gate::describe)
          .containsExactly("critical_alerts <= 0", "error_rate < 5%", "p95_latency < 500ms");
      assertThat(checklistItems(waves.get(0)).subList(31, 33)).containsExactly("All ALARM tests pass", "Team comfortable with monitoring");
      assertThat(waves.get(0).triggers()).extracting(Gate::describe).containsExactly(
          "critical_alerts > 0", "error_rate > 10% for 5m", "memory_growth > 0MB for 1h", "invariant_violations > 0");
    }

    @Test
    void waveTwoReadsTheErrorRateRiseFromWaveOneInPercentagePoints() {
      assertThat(waves.get(1).triggers()).extracting(Gate::describe).containsExactly("critical_alerts > 0",
          "error_rate > 5pp vs baseline", "data_loss_reports > 0", "invariant_violations > 0", "p99_latency > 50% vs baseline");
      assertThat(waves.get(1).gates()).extracting(Gate::describe)
          .contains("error_rate <= 0pp vs baseline", "p99_latency < 500ms", "critical_alerts_48h <= 0");
    }

    @Test
    void waveThreeRollbackTriggers() {
      assertThat(waves.get(2).triggers()).extracting(Gate::describe).containsExactly(
          "critical_alerts > 0", "error_rate > 10%", "cpu_usage > 80% vs baseline", "customer_escalations > 5");
      assertThat(checklistItems(waves.get(2))).contains("Cost analysis shows acceptable impact", "Monitoring coverage verified");
    }

    @Test
    void waveFourMeetsTheTargetColumn() {
      assertThat(waves.get(3).gates()).extracting(Gate::describe).contains("error_rate < 2%", "success_rate > 98%",
          "p95_latency < 400ms", "p99_latency < 500ms", "invariant_violations <= 0");
      assertThat(waves.get(3).entryApproval().roles()).containsExactly("Operations Lead", "Incident Commander");
    }

    @Test
    void theWarningColumnNotifiesAndTheCriticalColumnRollsBack() {
      assertThat(plan.triggers()).filteredOn(g -> g.firingAction() == TriggerAction.NOTIFY)
          .filteredOn(g -> "alerts-warnings".equals(g.notifier()))
          .allSatisfy(g -> assertThat(g.reminderInterval()).isEqualTo(Duration.ofHours(4)))
          .extracting(Gate::describe).containsExactly("error_rate > 5%", "success_rate < 95%", "p95_latency > 600ms",
              "p99_latency > 800ms", "memory_usage > 50% vs baseline", "cpu_usage > 40% vs baseline",
              "invariant_violations > 5");
      assertThat(plan.triggers()).filteredOn(g -> g.firingAction() == TriggerAction.ROLLBACK)
          .extracting(Gate::describe).containsExactly("error_rate > 10%", "success_rate < 90%", "p95_latency > 1000ms",
              "p99_latency > 1500ms", "memory_usage > 100% vs baseline", "cpu_usage > 80% vs baseline",
              "invariant_violations > 10");
    }

    @Test
    void twoWeeksOfMonitoringAfterWaveFourWithTheUptimeSla() {
      assertThat(plan.watch()).isEqualTo(Duration.ofDays(14));
      assertThat(plan.triggers()).filteredOn(g -> g.metric().equals("uptime")).singleElement()
          .satisfies(g -> assertThat(g.describe()).isEqualTo("uptime < 99.9%"))
          .satisfies(g -> assertThat(g.firingAction()).isEqualTo(TriggerAction.NOTIFY));
    }

    @Test
    void theDailyStandupDecidesEachWave() {
      for (Phase wave : waves.subList(0, 3)) {
        assertThat(wave.exitApproval().roles()).as(wave.name())
            .containsExactly("Incident Commander", "Engineering Lead", "DevOps", "Product Manager");
        assertThat(wave.exitApproval().deadline()).isEqualTo(Duration.ofHours(24));
      }
    }

    @Test
    void theInstantRollbackRunsFirstInAnyRollback() {
      assertThat(plan.rollback()).hasSize(2);
      assertThat(plan.rollback().get(0)).isEqualTo(new Step.Run("./deploy_tools/disable-feature-flag.sh batch-patches-v1",
          "disable-feature-flag-batch-patches-v1", null, null, Duration.ofSeconds(30)));
      assertThat(plan.rollback().get(1)).isInstanceOfSatisfying(Step.HealthCheck.class,
          h -> assertThat(h.url()).isEqualTo("http://legacy-api:3000/health"));
      assertThat(plan.notifications().onRollback()).isEqualTo("alerts-critical");
    }

    @Test
    void theSlackChannelsAndPagerDuty() {
      assertThat(plan.resources().notifiers()).containsEntry("alerts-critical",
          new Notifier.Slack("SLACK_ALERTS_CRITICAL_WEBHOOK", "#alerts-critical"));
      assertThat(plan.resources().notifiers()).containsEntry("alerts-warnings",
          new Notifier.Slack("SLACK_ALERTS_WARNINGS_WEBHOOK", "#alerts-warnings"));
      assertThat(plan.resources().notifiers().get("pagerduty")).isInstanceOf(Notifier.PagerDuty.class);
    }
  }

  @Nested
  class BlueGreen {
    private final Plan plan = SeedPlans.load("blue-green-promotion.yaml");
    private final Phase production = plan.phases().get(2);

    @Test
    void threeStagesEachOnItsOwnTarget() {
      assertThat(plan.phases()).extracting(Phase::name).containsExactly("development", "staging", "production");
      assertThat(plan.phases()).extracting(p -> plan.targetOf(p).environment())
          .containsExactly("development", "staging", "production");
      assertThat(plan.rollbackScope()).isEqualTo(RollbackScope.TARGET);
      assertThat(plan.metrics()).allSatisfy((name, m) -> assertThat(m.query()).as(name).contains("${environment}"));
    }

    @Test
    void theDeploymentPipelineStagesWithTheirTimeLimits() {
      assertThat(plan.phases().get(0).steps()).filteredOn(Step.Run.class::isInstance)
          .extracting(s -> ((Step.Run) s).timeout()).containsExactly(
              Duration.ofMinutes(3), Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofMinutes(15));
    }

    @Test
    void theEnvironmentConfigurationIsTheSameInEveryStage() {
      List<Map<String, String>> envs = plan.phases().stream().flatMap(p -> p.steps().stream())
          .filter(Step.SetEnv.class::isInstance).map(s -> ((Step.SetEnv) s).env()).toList();
      assertThat(envs).hasSize(3).allSatisfy(env -> assertThat(env)
          .containsEntry("DATABASE_POOL_SIZE", "20").containsEntry("DATABASE_TIMEOUT", "30000")
          .containsEntry("SESSION_TIMEOUT", "3600").containsEntry("TENANT_ISOLATION_LEVEL", "strict")
          .containsEntry("MAX_TENANTS_PER_INSTANCE", "1000").containsEntry("CACHE_TTL", "300")
          .containsEntry("RATE_LIMIT_REQUESTS", "1000").containsEntry("RATE_LIMIT_WINDOW", "60000")
          .containsEntry("LOG_LEVEL", "info").containsEntry("METRICS_ENABLED", "true")
          .containsEntry("AUDIT_RETENTION_DAYS", "365")
          .doesNotContainKeys("DATABASE_URL", "JWT_SECRET", "ENCRYPTION_KEY"));
    }

    @Test
    void productionShiftsTenTwentyFiveFiftyAHundredInItsWindowAfterApproval() {
      assertThat(production.entryApproval().roles()).isNotEmpty();
      assertThat(production.exitApproval().roles()).isNotEmpty();
      assertThat(production.window().days()).containsExactly(DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY);
      assertThat(percents(production)).containsExactly(10.0, 25.0, 50.0, 100.0);
    }

    @Test
    void expandBeforeTheDeployContractAfterTheFullSwitch() {
      List<Step> steps = production.steps();
      int dryRun = indexOf(steps, Step.Run.class);
      int backup = indexOf(steps, Step.Backup.class);
      int expand = indexOf(steps, Step.Migrate.class);
      int deploy = indexOf(steps, Step.Deploy.class);
      int contract = lastIndexOf(steps, Step.Migrate.class);
      assertThat(((Step.Run) steps.get(dryRun)).command()).isEqualTo("migration-dry-run");
      assertThat(((Step.Migrate) steps.get(expand)).phase()).isEqualTo(MigrationPhase.EXPAND);
      assertThat(((Step.Migrate) steps.get(contract)).phase()).isEqualTo(MigrationPhase.CONTRACT);
      assertThat(List.of(dryRun, backup, expand, deploy, contract)).isSorted();
      assertThat(steps.subList(0, contract)).filteredOn(Step.ShiftTraffic.class::isInstance).last()
          .extracting(s -> ((Step.ShiftTraffic) s).percent()).isEqualTo(100.0);
      assertThat(plan.resources().databases().values())
          .allSatisfy(db -> assertThat(db.onRollback()).isEqualTo(DatabaseRestore.DECIDE));
      // after production's contract only a forward fix; development and staging never hold production's rollback
      assertThat(plan.resources().databases()).extractingFromEntries(e -> e.getKey() + " " + e.getValue().afterContract())
          .containsExactlyInAnyOrder("platform-dev ROLLBACK_SAFE", "platform-staging ROLLBACK_SAFE", "platform-prod HOLD");
    }

    @Test
    void thePromotionChecks() {
      assertThat(plan.phases().get(1).steps()).filteredOn(Step.Run.class::isInstance)
          .extracting(s -> ((Step.Run) s).command()).containsExactly("automated-test-suite", "security-vulnerability-scan");
      assertThat(checklistItems(plan.phases().get(1))).contains("1. Feature branch merged to staging branch",
          "Security scan results reviewed", "Documentation updated");
      assertThat(production.steps()).filteredOn(Step.Run.class::isInstance)
          .extracting(s -> ((Step.Run) s).command()).contains("warm-cache", "automated-validation-suite");
    }

    @Test
    void theAutomatedRollbackTriggersAndTheCriticalAlerts() {
      assertThat(plan.triggers()).filteredOn(g -> g.firingAction() == TriggerAction.ROLLBACK).extracting(Gate::describe)
          .containsExactly("p95_latency > 500ms for 2m", "error_rate > 1% for 2m", "cpu_usage > 90%", "memory_usage > 90%",
              "db_pool_usage >= 100%", "auth_failures > 100% vs baseline for 5m",
              "unauthorized_attempts > 100% vs baseline for 5m", "data_integrity_violations > 0", "audit_log_failures > 0",
              "critical_feature_failures > 0", "integration_failure_rate > 5% for 5m",
              "session_success_rate < -5pp vs baseline for 5m", "system_unavailable > 0 for 1m", "security_breaches > 0",
              "p95_latency > 50% vs baseline for 5m");
    }

    @Test
    void warningAlertsWantAResponseWithinThirtyMinutes() {
      assertThat(plan.triggers()).filteredOn(g -> g.firingAction() == TriggerAction.NOTIFY)
          .allSatisfy(g -> assertThat(g.reminderInterval()).isEqualTo(Duration.ofMinutes(30)))
          .extracting(Gate::describe).containsExactly("p95_latency > 10% vs baseline for 5m",
              "error_rate > 0.5pp vs baseline for 5m", "cpu_usage > 80%", "memory_usage > 80%", "db_pool_usage > 80%");
    }
  }

  private static List<String> checklistItems(Phase phase) {
    return phase.steps().stream().filter(Step.Checklist.class::isInstance).map(s -> ((Step.Checklist) s).item()).toList();
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

  private static int lastIndexOf(List<Step> steps, Class<? extends Step> kind) {
    for (int i = steps.size() - 1; i >= 0; i--) if (kind.isInstance(steps.get(i))) return i;
    return -1;
  }
}
