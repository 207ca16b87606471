package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;

import dev.rollout.plan.Approval;
import dev.rollout.plan.Comparison;
import dev.rollout.plan.Database;
import dev.rollout.plan.FlagStore;
import dev.rollout.plan.Gate;
import dev.rollout.plan.MetricQuery;
import dev.rollout.plan.MetricSource;
import dev.rollout.plan.Notifications;
import dev.rollout.plan.Notifier;
import dev.rollout.plan.Phase;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Quantity;
import dev.rollout.plan.Resources;
import dev.rollout.plan.Router;
import dev.rollout.plan.Step;
import dev.rollout.plan.Target;
import dev.rollout.plan.TimeoutAction;
import dev.rollout.plan.Workload;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Small plans built in code, shaped like the seeds, for the workflow tests. */
final class TestPlans {
  static final List<String> ROLES = List.of("engineering-lead", "safety-coordinator", "devops", "product-manager");

  private TestPlans() {}

  static Resources resources() {
    return new Resources(
        Map.of("orders", new Database("ORDERS_DB", "filesystem:db/migration/orders")),
        Map.of("main", new Router.HttpProxy("http://localhost:9000/admin")),
        Map.of("flags", new FlagStore.JsonFile("/tmp/flags.json")),
        Map.of("prom", new MetricSource.Prometheus("http://localhost:9090")),
        Map.of("api", new Workload("default", "api", "api")),
        Map.of("log", new Notifier.Log()));
  }

  static Map<String, MetricQuery> metrics() {
    return Map.of(
        "error_rate", new MetricQuery("prom", "error_rate", "%", null),
        "p99_latency", new MetricQuery("prom", "p99", "ms", null));
  }

  static Gate gate(String metric, Comparison op, String threshold) {
    return new Gate(null, metric, op, Quantity.parse(threshold), null, null, Duration.ofMinutes(1), null);
  }

  static Approval approval(int quorum, String... roles) {
    return new Approval(List.of(roles), quorum, null, null, null, null);
  }

  static Approval approval(Duration deadline, TimeoutAction onTimeout, String... roles) {
    return new Approval(List.of(roles), 1, deadline, onTimeout, List.of("devops"), null);
  }

  static Plan plan(String name, List<Gate> triggers, Phase... phases) {
    return new Plan("rollout/v1", name, "1.0", null, List.of(new Target(name, "production")), "UTC",
        ROLES, resources(), metrics(), triggers, List.of(phases), new Notifications("log", null, null));
  }

  /** The same plan with the orders database declared as {@code orders}. */
  static Plan withOrders(Plan p, Database orders) {
    Resources r = p.resources();
    Resources changed = new Resources(Map.of("orders", orders), r.routers(), r.flagStores(), r.metricSources(),
        r.workloads(), r.notifiers());
    return new Plan(p.apiVersion(), p.name(), p.version(), p.description(), p.targets(), p.timeZone(), p.roles(),
        changed, p.metrics(), p.triggers(), p.phases(), p.notifications(), p.rollback());
  }

  /** The same plan with plan-wide emergency rollback steps. */
  static Plan withRollback(Plan p, Step... emergency) {
    return new Plan(p.apiVersion(), p.name(), p.version(), p.description(), p.targets(), p.timeZone(), p.roles(),
        p.resources(), p.metrics(), p.triggers(), p.phases(), p.notifications(), List.of(emergency));
  }

  static Database restoringOrders() {
    return new Database("ORDERS_DB", "filesystem:db/migration/orders", dev.rollout.plan.DatabaseRestore.RESTORE, null);
  }

  static Step.ShiftTraffic traffic(double percent) {
    return new Step.ShiftTraffic(null, "main", percent);
  }

  static Step.Bake bake(Duration d) {
    return new Step.Bake(null, d, List.of(), null);
  }

  /** Canary 10, 25, 50, 100 with a bake after each, error-rate trigger plan-wide. */
  static Plan canary() {
    return plan("canary", List.of(gate("error_rate", Comparison.GT, "5%")),
        phase("Canary")
            .steps(new Step.Deploy(null, "api", "api:v2"), traffic(10), bake(Duration.ofHours(1)),
                traffic(25), bake(Duration.ofHours(2)), traffic(50), bake(Duration.ofHours(4)), traffic(100))
            .gates(gate("p99_latency", Comparison.LT, "1000ms"))
            .bake(Duration.ofHours(24))
            .build());
  }

  /** Seven daily phases, the 4th migrating a database after a backup (DriveMind's shape). */
  static Plan sevenDays() {
    Phase[] phases = new Phase[7];
    for (int i = 0; i < 7; i++) {
      PhaseBuilder p = phase("Phase " + (i + 1)).bake(Duration.ofDays(1));
      p.steps(new Step.SetFlags(null, "flags", Map.of("phase" + (i + 1), true)));
      if (i == 3) p.steps(new Step.Backup(null, "orders"), new Step.Migrate(null, "orders", null, "v2"));
      p.steps(traffic(Math.min(100, (i + 1) * 15)));
      phases[i] = p.build();
    }
    return plan("drivemind", List.of(gate("error_rate", Comparison.GT, "5%")), phases);
  }
}
