package dev.rollout.plan;

import java.util.List;

/** Each step has what its kind needs and names only declared resources. */
final class StepChecks {
  private StepChecks() {}

  static void checkAll(CheckContext c, List<Step> steps, String path) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i) == null) {
        c.problem(PlanPaths.index(path, i), "must not be empty");
      } else {
        check(c, steps.get(i), PlanPaths.index(path, i));
      }
    }
  }

  private static void check(CheckContext c, Step step, String p) {
    step.accept(new Check(c, p));
  }

  /** What each kind needs; a new kind does not compile until it says what it checks. */
  private static final class Check implements StepVisitor<Void> {
    private final CheckContext c;
    private final Resources r;
    private final String p;

    Check(CheckContext c, String p) {
      this.c = c;
      this.r = c.plan.resources();
      this.p = p;
    }

    @Override
    public Void backup(Step.Backup b) {
      c.reference(b.database(), r.databases(), "database", p + ".database");
      return null;
    }

    @Override
    public Void migrate(Step.Migrate m) {
      c.reference(m.database(), r.databases(), "database", p + ".database");
      c.required(m.phase(), p + ".phase");
      return null;
    }

    @Override
    public Void traffic(Step.ShiftTraffic t) {
      c.reference(t.router(), r.routers(), "router", p + ".router");
      if (c.written(p + ".percent") && (t.percent() < 0 || t.percent() > 100)) {
        c.problem(p + ".percent", CheckContext.number(t.percent()) + " is not a percentage (0-100)");
      }
      return null;
    }

    @Override
    public Void flags(Step.SetFlags f) {
      c.reference(f.store(), r.flagStores(), "flag store", p + ".store");
      if (c.required(f.values(), p + ".values")) flagValues(c, f, p + ".values");
      f.rollbackValues().keySet().stream().filter(flag -> !f.values().containsKey(flag)).forEach(flag ->
          c.problem(PlanPaths.field(p + ".rollbackValues", flag),
              "flag '" + flag + "' has a rollback value but the step does not set it"));
      return null;
    }

    @Override
    public Void deploy(Step.Deploy d) {
      c.reference(d.workload(), r.workloads(), "workload", p + ".workload");
      c.required(d.image(), p + ".image");
      return null;
    }

    @Override
    public Void scale(Step.Scale s) {
      c.reference(s.workload(), r.workloads(), "workload", p + ".workload");
      if (c.written(p + ".replicas") && s.replicas() < 0) {
        c.problem(p + ".replicas", s.replicas() + " is not a replica count (0 or more)");
      }
      return null;
    }

    @Override
    public Void env(Step.SetEnv e) {
      c.reference(e.workload(), r.workloads(), "workload", p + ".workload");
      c.required(e.env(), p + ".env");
      return null;
    }

    @Override
    public Void health(Step.HealthCheck h) {
      StepChecks.health(c, h, p);
      return null;
    }

    @Override
    public Void bake(Step.Bake b) {
      if (c.required(b.duration(), p + ".duration")) c.positive(b.duration(), p + ".duration");
      GateChecks.checkGates(c, b.gates(), p + ".gates");
      if (b.analysis() != null) AnalysisChecks.check(c, b.analysis(), p + ".analysis");
      return null;
    }

    @Override
    public Void notify(Step.Notify n) {
      c.reference(n.notifier(), r.notifiers(), "notifier", p + ".notifier");
      c.required(n.message(), p + ".message");
      return null;
    }

    @Override
    public Void checklist(Step.Checklist k) {
      c.required(k.item(), p + ".item");
      if (c.required(k.roles(), p + ".roles")) {
        for (int i = 0; i < k.roles().size(); i++) c.role(k.roles().get(i), p + ".roles[" + i + "]");
      }
      return null;
    }

    @Override
    public Void run(Step.Run run) {
      RunbookChecks.run(c, run, p);
      return null;
    }

    @Override
    public Void http(Step.Http http) {
      RunbookChecks.http(c, http, p);
      return null;
    }
  }

  private static void flagValues(CheckContext c, Step.SetFlags f, String p) {
    f.values().forEach((flag, value) -> {
      if (value == null || value instanceof java.util.Map || value instanceof java.util.List) {
        c.problem(PlanPaths.field(p, flag), "a flag value is text, a number or true/false, not "
            + (value == null ? "empty" : value instanceof java.util.Map ? "a mapping" : "a list"));
      }
    });
  }

  private static void health(CheckContext c, Step.HealthCheck h, String p) {
    ResourceChecks.url(c, h.url(), p + ".url");
    if (h.expectStatus() < 100 || h.expectStatus() > 599) {
      c.problem(p + ".expectStatus", h.expectStatus() + " is not an HTTP status (100-599)");
    }
    if (h.failureThreshold() < 1) {
      c.problem(p + ".failureThreshold", h.failureThreshold() + " must be at least 1");
    }
    c.positive(h.interval(), p + ".interval");
    c.positive(h.timeout(), p + ".timeout");
  }
}
