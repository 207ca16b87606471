package dev.rollout.cli;

import dev.rollout.plan.Plan;
import dev.rollout.plan.Step;
import dev.rollout.plan.StepVisitor;
import dev.rollout.rehearsal.Call;
import dev.rollout.workflow.Decision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The rehearsal's activity calls and decision-log lines merged in simulated-time order, each
 * given the phase it belongs to. A decision carries its phase and whether the rollback had begun;
 * calls do not carry their phase, so it is found by walking the plan: a call that changes the
 * world is the one the next step of the plan makes on that call's subject (router, workload, ...);
 * everything else belongs to the phase before it; after a rollback starts, everything belongs to
 * the rollback.
 */
final class RehearsalTimeline {
  private RehearsalTimeline() {}

  /** One line: when, in which phase, what, and who when people acted. */
  record Entry(Instant at, String phase, String what, String who, boolean failed) {}

  private record PlannedStep(int phase, Step step) {}

  /** Reads are not part of what the rollout does; retries show as failed attempts only. */
  private static final Set<String> READS = Set.of("currentWeight", "readFlags", "current");

  static List<Entry> of(Plan plan, List<Call> calls, List<Decision> decisions) {
    List<PlannedStep> steps = new ArrayList<>();
    for (int i = 0; i < plan.phases().size(); i++) {
      for (Step step : plan.phases().get(i).steps()) steps.add(new PlannedStep(i, step));
    }
    List<Object> events = new ArrayList<>();
    calls.stream().filter(c -> !READS.contains(c.method()) && (c.attempt() == 1 || c.failed())).forEach(events::add);
    events.addAll(decisions);
    // Stable: at equal times people's answers come first (they unblock what follows).
    events.sort(Comparator.comparing(RehearsalTimeline::at).thenComparing(e -> e instanceof Call ? 1 : 0));

    List<Entry> entries = new ArrayList<>();
    // A long bake watches in one-day slices: one line for them all. The first watch of the run the
    // last line stands for (null when that line is no watch), and how many it stands for.
    Call watchRun = null;
    int watches = 0;
    int phase = 0;
    int cursor = 0;
    boolean rollingBack = false;
    for (Object event : events) {
      if (event instanceof Decision d) {
        if (d.rollback()) rollingBack = true;
        if (d.phaseIndex() != null && !rollingBack) phase = d.phaseIndex();
        entries.add(new Entry(d.at(), rollingBack ? "rollback" : name(plan, phase), d.what()
            + (d.comment() == null || d.comment().isBlank() ? "" : " (" + d.comment() + ")"), d.who(), false));
        watchRun = null;
        continue;
      }
      Call c = (Call) event;
      if (!rollingBack) {
        for (int i = cursor; i < steps.size(); i++) {
          if (makes(steps.get(i).step(), c)) {
            cursor = i + 1;
            phase = Math.max(phase, steps.get(i).phase());
            break;
          }
        }
      }
      String what = c.brief() + (c.attempt() > 1 ? " attempt " + c.attempt() : "") + (c.failed() ? " FAILED: " + c.error() : "");
      String in = rollingBack ? "rollback" : name(plan, phase);
      boolean quietWatch = c.activity().equals("metrics") && c.method().equals("watch") && !c.failed();
      Entry last = entries.isEmpty() ? null : entries.get(entries.size() - 1);
      if (quietWatch && watchRun != null && last.phase().equals(in)) {
        watches++;
        entries.set(entries.size() - 1, new Entry(last.at(), last.phase(), watchRun.brief() + " ×" + watches, null, false));
        continue;
      }
      watchRun = quietWatch ? c : null;
      watches = 1;
      entries.add(new Entry(c.at(), in, what, null, c.failed()));
    }
    return entries;
  }

  /** Whether {@code call} is the one {@code step} makes: the same activity method, on the same subject. */
  static boolean makes(Step step, Call call) {
    Made made = step.accept(MADE);
    return made != null && made.call().equals(call.activity() + "." + call.method())
        && call.subject() != null && call.subject().equals(made.subject());
  }

  /** The activity method a step calls and the subject it calls it on. */
  private record Made(String call, String subject) {}

  /**
   * What each step kind calls. Bakes and checklists make no call of their own; runbook commands,
   * Jobs and HTTP calls record no subject to tell two of them apart, so none is matched.
   */
  private static final StepVisitor<Made> MADE = new StepVisitor<>() {
    @Override public Made backup(Step.Backup b) { return new Made("database.backup", b.database()); }
    @Override public Made migrate(Step.Migrate m) { return new Made("database.migrate", m.database()); }
    @Override public Made traffic(Step.ShiftTraffic t) { return new Made("traffic.setWeight", t.router()); }
    @Override public Made flags(Step.SetFlags f) { return new Made("flags.setFlags", f.store()); }
    @Override public Made deploy(Step.Deploy d) { return new Made("deploy.setImage", d.workload()); }
    @Override public Made scale(Step.Scale s) { return new Made("deploy.scale", s.workload()); }
    @Override public Made env(Step.SetEnv e) { return new Made("deploy.setEnv", e.workload()); }
    @Override public Made health(Step.HealthCheck h) { return new Made("health.probe", h.url()); }
    @Override public Made notify(Step.Notify n) { return new Made("notification.notify", n.notifier()); }
    @Override public Made bake(Step.Bake step) { return null; }
    @Override public Made checklist(Step.Checklist step) { return null; }
    @Override public Made run(Step.Run step) { return null; }
    @Override public Made http(Step.Http step) { return null; }
  };

  private static String name(Plan plan, int phase) {
    return plan.phases().isEmpty() ? "-" : plan.phases().get(phase).name();
  }

  private static Instant at(Object event) {
    Instant at = event instanceof Call c ? c.at() : ((Decision) event).at();
    return at == null ? Instant.EPOCH : at;
  }
}
