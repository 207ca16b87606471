package dev.rollout.api.security;

import dev.rollout.api.security.SecuritySettings.Floor;
import dev.rollout.plan.Approval;
import dev.rollout.plan.Phase;
import dev.rollout.plan.Plan;
import dev.rollout.plan.PlanException;
import dev.rollout.plan.Problem;
import dev.rollout.plan.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the server requires of every plan per environment, whatever the plan says: e.g. in
 * production every phase asks at least two distinct people, and the starter never counts. A plan
 * below the floor is refused at start, each short phase named with its line.
 */
public final class ApprovalFloors {
  private final Map<String, Floor> byEnvironment = new TreeMap<>();

  public ApprovalFloors(Map<String, Floor> floors) {
    floors.forEach((env, floor) -> byEnvironment.put(env.toLowerCase(Locale.ROOT), floor));
  }

  /** The strictest floor among the plan's targets' environments, if any. */
  public Optional<Floor> floorFor(List<String> targetKeys) {
    Floor strictest = null;
    for (String key : targetKeys) {
      String env = key.substring(key.indexOf('/') + 1).toLowerCase(Locale.ROOT);
      Floor f = byEnvironment.get(env);
      if (f == null) continue;
      strictest = strictest == null
          ? f
          : new Floor(Math.max(f.minApprovers(), strictest.minApprovers()), f.starterCounts() && strictest.starterCounts());
    }
    return Optional.ofNullable(strictest);
  }

  /** Throws a {@link PlanException} (422) listing every phase below the floor. */
  public void check(Plan plan, String text, String source) {
    List<String> targets = plan.targets().stream().map(Target::key).toList();
    Optional<Floor> floor = floorFor(targets);
    if (floor.isEmpty() || floor.get().minApprovers() <= 0) return;
    int min = floor.get().minApprovers();
    List<Problem> problems = new ArrayList<>();
    for (int i = 0; i < plan.phases().size(); i++) {
      Phase phase = plan.phases().get(i);
      int asked = Math.max(required(phase.entryApproval()), required(phase.exitApproval()));
      if (asked < min) {
        String field = phase.entryApproval() != null ? "entryApproval" : phase.exitApproval() != null ? "exitApproval" : "";
        int line = lineOf(text, phase.name());
        problems.add(new Problem(source, line, line == 0 ? 0 : 1,
            "phases[" + i + "]" + (field.isEmpty() ? "" : "." + field),
            "phase '" + phase.name() + "' asks " + asked + " approver(s); the server requires at least "
                + min + " distinct people in every phase on " + String.join(", ", targets)
                + (floor.get().starterCounts() ? "" : " (the person who starts the rollout never counts)")));
      }
    }
    if (!problems.isEmpty()) throw new PlanException(problems);
  }

  private static int required(Approval a) {
    return a == null ? 0 : a.requiredApprovals();
  }

  /**
   * Throws a {@link PlanException} (422) naming every value the plan uses outside the worker's
   * scopes for its targets (secret names, file paths, namespaces, URL hosts), with field and line.
   */
  public static void checkScopes(dev.rollout.worker.security.TargetScopes scopes, Plan plan, String text, String source) {
    List<Problem> problems = new ArrayList<>();
    for (var v : scopes.check(plan)) {
      int line = lineOfValue(text, v.kind().equals("URL host") ? v.value() : v.value());
      problems.add(new Problem(source, line, line == 0 ? 0 : 1, v.field(), v.message()));
    }
    if (!problems.isEmpty()) throw new PlanException(problems);
  }

  /** The first line that mentions {@code value}, 0 when none does. */
  private static int lineOfValue(String text, String value) {
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) if (lines[i].contains(value)) return i + 1;
    return 0;
  }

  /** The line that names the phase ({@code - name: canary}), 0 when not found. */
  private static int lineOf(String text, String phase) {
    String[] lines = text.split("\r?\n", -1);
    boolean inPhases = false;
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i].strip();
      if (l.startsWith("phases:") || l.startsWith("\"phases\"")) inPhases = true;
      if (inPhases && l.matches("-?\\s*\"?name\"?\\s*:\\s*[\"']?" + java.util.regex.Pattern.quote(phase) + "[\"']?\\s*,?(\\s*#.*)?")) {
        return i + 1;
      }
    }
    return 0;
  }
}
