package dev.rollout.cli;

import dev.rollout.plan.Plan;
import dev.rollout.plan.Step;
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
    String a = call.activity() + "." + call.method();
    String on = call.subject();
    if (step instanceof Step.ShiftTraffic t) return a.equals("traffic.setWeight") && on != null && on.equals(t.router());
    if (step instanceof Step.SetFlags f) return a.equals("flags.setFlags") && on != null && on.equals(f.store());
    if (step instanceof Step.Deploy d) return a.equals("deploy.setImage") && on != null && on.equals(d.workload());
    if (step instanceof Step.Scale s) return a.equals("deploy.scale") && on != null && on.equals(s.workload());
    if (step instanceof Step.SetEnv e) return a.equals("deploy.setEnv") && on != null && on.equals(e.workload());
    if (step instanceof Step.HealthCheck h) return a.equals("health.probe") && on != null && on.equals(h.url());
    if (step instanceof Step.Backup b) return a.equals("database.backup") && on != null && on.equals(b.database());
    if (step instanceof Step.Migrate m) return a.equals("database.migrate") && on != null && on.equals(m.database());
    if (step instanceof Step.Notify n) return a.equals("notification.notify") && on != null && on.equals(n.notifier());
    return false; // bakes and checklists make no call of their own
  }

  private static String name(Plan plan, int phase) {
    return plan.phases().isEmpty() ? "-" : plan.phases().get(phase).name();
  }

  private static Instant at(Object event) {
    Instant at = event instanceof Call c ? c.at() : ((Decision) event).at();
    return at == null ? Instant.EPOCH : at;
  }
}
