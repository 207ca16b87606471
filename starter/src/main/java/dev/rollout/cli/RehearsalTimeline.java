package dev.rollout.cli;

import dev.rollout.plan.Phase;
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
 * given the phase it belongs to. Calls do not carry their phase, so it is found by walking the
 * plan: a decision naming "of phase X" says so outright; a call that changes the world matches
 * the next step of the plan that makes it; everything else belongs to the phase before it; after
 * a rollback starts, everything belongs to the rollback.
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
    int watches = 0;
    int phase = 0;
    int cursor = 0;
    boolean rollingBack = false;
    for (Object event : events) {
      if (event instanceof Decision d) {
        if (d.what().startsWith("rollback")) rollingBack = true;
        int named = namedPhase(plan, d.what());
        if (named >= 0 && !rollingBack) phase = named;
        entries.add(new Entry(d.at(), rollingBack ? "rollback" : name(plan, phase), d.what()
            + (d.comment() == null || d.comment().isBlank() ? "" : " (" + d.comment() + ")"), d.who(), false));
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
      // A long bake watches in one-day slices: one line for them all.
      Entry last = entries.isEmpty() ? null : entries.get(entries.size() - 1);
      if (c.method().equals("watch") && !c.failed() && last != null && last.what().startsWith("metrics.watch(")
          && last.phase().equals(rollingBack ? "rollback" : name(plan, phase))) {
        watches++;
        entries.set(entries.size() - 1, new Entry(last.at(), last.phase(),
            last.what().replaceFirst(" ×\\d+$", "") + " ×" + (watches + 1), null, false));
        continue;
      }
      watches = 0;
      entries.add(new Entry(c.at(), rollingBack ? "rollback" : name(plan, phase), what, null, c.failed()));
    }
    return entries;
  }

  /** Whether {@code call} is the one {@code step} makes. */
  static boolean makes(Step step, Call call) {
    String a = call.activity() + "." + call.method();
    String args = call.args() == null ? "" : call.args();
    if (step instanceof Step.ShiftTraffic t) return a.equals("traffic.setWeight") && args.startsWith(t.router() + " ");
    if (step instanceof Step.SetFlags f) return a.equals("flags.setFlags") && args.startsWith(f.store() + " ");
    if (step instanceof Step.Deploy d) return a.equals("deploy.setImage") && args.startsWith(d.workload() + " ");
    if (step instanceof Step.Scale s) return a.equals("deploy.scale") && args.startsWith(s.workload() + " ");
    if (step instanceof Step.SetEnv e) return a.equals("deploy.setEnv") && args.startsWith(e.workload() + " ");
    if (step instanceof Step.HealthCheck h) return a.equals("health.probe") && args.equals(h.url());
    if (step instanceof Step.Backup b) return a.equals("database.backup") && args.startsWith(b.database() + " ");
    if (step instanceof Step.Migrate m) return a.equals("database.migrate") && args.startsWith(m.database() + " ");
    if (step instanceof Step.Notify n) return a.equals("notification.notify") && args.startsWith(n.notifier() + " ");
    return false; // bakes and checklists make no call of their own
  }

  private static int namedPhase(Plan plan, String what) {
    List<Phase> phases = plan.phases();
    for (int i = phases.size() - 1; i >= 0; i--) {
      if (what.endsWith("of phase " + phases.get(i).name()) || what.equals("retrying phase " + phases.get(i).name())) return i;
    }
    return -1;
  }

  private static String name(Plan plan, int phase) {
    return plan.phases().isEmpty() ? "-" : plan.phases().get(phase).name();
  }

  private static Instant at(Object event) {
    Instant at = event instanceof Call c ? c.at() : ((Decision) event).at();
    return at == null ? Instant.EPOCH : at;
  }
}
