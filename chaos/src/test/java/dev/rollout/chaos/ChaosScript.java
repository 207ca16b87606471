package dev.rollout.chaos;

import dev.rollout.workflow.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * What one chaos rollout does and how it must end: its phases (traffic share, flags, a database
 * migration in the first phase, a bake of seconds, approvals) and, for a broken new version, the
 * traffic share at which it starts failing. From it come the plan's YAML, the side effects the
 * ledger must show (each exactly once, undone exactly once on a rollback) and the end state.
 */
record ChaosScript(String name, List<Wave> waves, boolean migrates, Integer breaksAt) {

  static final String FLAG_FILE_BASELINE_FLAG = "legacy_checkout";
  static final List<String> ROLES = List.of("Release Manager", "SRE");
  /** Who holds each role; neither started the rollout. */
  static final Map<String, String> HOLDERS = Map.of("Release Manager", "alice", "SRE", "bob");

  /** @param approvals roles that must approve the end of this phase (empty: none) */
  record Wave(int percent, Map<String, Object> flags, int bakeSeconds, List<String> approvals) {}

  /** A varied script: 2-4 phases, some with flags and approvals, a third of them broken. */
  static ChaosScript random(String name, Random random, boolean migrates) {
    int phases = 2 + random.nextInt(3);
    List<Wave> waves = new ArrayList<>();
    int percent = 0;
    for (int i = 0; i < phases; i++) {
      percent = i == phases - 1 ? 100 : percent + 5 + random.nextInt(30);
      Map<String, Object> flags = new LinkedHashMap<>();
      if (random.nextInt(3) > 0) flags.put("feature_" + (char) ('a' + i), i % 2 == 0 ? Boolean.TRUE : "variant-" + i);
      List<String> approvals = switch (random.nextInt(4)) {
        case 0 -> List.of();
        case 1 -> List.of("Release Manager");
        case 2 -> List.of("SRE");
        default -> ROLES;
      };
      waves.add(new Wave(percent, flags, 2 + random.nextInt(4), approvals));
    }
    Integer breaksAt = random.nextInt(3) == 0 ? waves.get(random.nextInt(phases)).percent() : null;
    return new ChaosScript(name, waves, migrates, breaksAt);
  }

  Outcome expectedOutcome() {
    return breaksAt == null ? Outcome.COMPLETED : Outcome.ROLLED_BACK;
  }

  /** How many phases run their steps: up to and including the one where the new version breaks. */
  int phasesRun() {
    if (breaksAt == null) return waves.size();
    for (int i = 0; i < waves.size(); i++) if (waves.get(i).percent() >= breaksAt) return i + 1;
    throw new IllegalStateException("breaks at " + breaksAt + " beyond the last wave");
  }

  /** Approvals that must be counted exactly once: those of every phase that passed its bake. */
  int expectedApprovals() {
    int passed = breaksAt == null ? waves.size() : phasesRun() - 1;
    return waves.subList(0, passed).stream().mapToInt(w -> w.approvals().size()).sum();
  }

  /** Every side effect in order, as the ledger writes them: forward changes, then their undos in reverse. */
  List<String> expectedEffects() {
    List<String> all = new ArrayList<>(changes(false));
    all.addAll(expectedUndos());
    return all;
  }

  /** The undos a rollback runs, in order: none when the rollout completes. */
  List<String> expectedUndos() {
    return breaksAt == null ? List.of() : changes(true);
  }

  /**
   * The forward changes of the phases that run, or ({@code undos}) what a rollback runs: traffic
   * and flags most recent first, where the router's one undo (all traffic to stable) moves up with
   * each shift; an expand migration is never undone (the schema stays expanded).
   */
  private List<String> changes(boolean undos) {
    List<String> forward = new ArrayList<>();
    List<String> undo = new ArrayList<>();
    String toStable = "router edge setWeight 0";
    for (int i = 0; i < phasesRun(); i++) {
      Wave w = waves.get(i);
      if (i == 0 && migrates) {
        forward.add("database shop backup shop");
        forward.add("database shop migrate 2");
      }
      forward.add("router edge setWeight " + LedgeredTraffic.format(w.percent()));
      undo.remove(toStable);
      undo.add(0, toStable);
      if (!w.flags().isEmpty()) {
        forward.add("flags flags setFlags " + LedgeredFlags.format(new TreeMap<>(w.flags())));
        Map<String, Object> before = new TreeMap<>();
        w.flags().keySet().forEach(f -> before.put(f, null));
        undo.add(0, "flags flags setFlags " + LedgeredFlags.format(before));
      }
    }
    return undos ? undo : forward;
  }

  /** The weights the router must have been set to, retries aside (the rollback's one: 0). */
  List<Double> expectedWeights() {
    return expectedEffects().stream().filter(e -> e.startsWith("router ")).map(e -> Double.parseDouble(e.substring(e.lastIndexOf(' ') + 1))).toList();
  }

  /** The flag file at the end: the flag that was there before, plus every flag set if completed. */
  Map<String, Object> expectedFlagFile() {
    Map<String, Object> file = new TreeMap<>();
    file.put(FLAG_FILE_BASELINE_FLAG, true);
    if (breaksAt == null) waves.forEach(w -> file.putAll(w.flags()));
    return file;
  }

  String yaml(String targetsBase, String flagFile, String migrations, String connection) {
    StringBuilder y = new StringBuilder();
    y.append("apiVersion: rollout.dev/v1\n")
        .append("name: ").append(name).append("\n")
        .append("targets: [{service: ").append(name).append(", environment: chaos}]\n")
        .append("roles: [Release Manager, SRE]\n")
        .append("resources:\n")
        .append("  routers:\n")
        .append("    edge: {type: proxy, adminUrl: \"").append(targetsBase).append("/routers/").append(name).append("\"}\n")
        .append("  flagStores:\n")
        .append("    flags: {type: file, path: \"").append(flagFile).append("\"}\n");
    if (migrates) {
      y.append("  databases:\n")
          .append("    shop: {connection: ").append(connection).append(", migrations: \"filesystem:").append(migrations).append("\"}\n");
    }
    y.append("  metricSources:\n")
        .append("    app: {type: scrape, url: \"").append(targetsBase).append("/metrics/").append(name).append("\"}\n")
        .append("  notifiers:\n")
        .append("    log: {type: log}\n")
        .append("metrics:\n")
        .append("  error_rate: {source: app, query: error_rate, unit: \"%\"}\n")
        .append("notifications: {notifier: log}\n")
        .append("phases:\n");
    for (int i = 0; i < waves.size(); i++) {
      Wave w = waves.get(i);
      y.append("  - name: wave-").append(i + 1).append("\n")
          .append("    bake: ").append(w.bakeSeconds()).append("s\n")
          .append("    steps:\n");
      if (i == 0 && migrates) {
        y.append("      - {kind: backup, database: shop}\n")
            .append("      - {kind: migrate, database: shop, phase: expand, targetVersion: \"2\"}\n");
      }
      y.append("      - {kind: traffic, router: edge, percent: ").append(w.percent()).append("}\n");
      if (!w.flags().isEmpty()) {
        y.append("      - kind: flags\n        store: flags\n        values:\n");
        w.flags().forEach((k, v) -> y.append("          ").append(k).append(": ").append(v instanceof String ? "\"" + v + "\"" : v).append("\n"));
      }
      y.append("    triggers:\n")
          .append("      - {name: errors, metric: error_rate, op: \">\", threshold: 1%, interval: 1s}\n")
          .append("    gates:\n")
          .append("      - {name: errors low, metric: error_rate, op: \"<\", threshold: 1%}\n");
      if (!w.approvals().isEmpty()) {
        y.append("    exitApproval: {roles: [").append(String.join(", ", w.approvals())).append("], quorum: ")
            .append(w.approvals().size()).append("}\n");
      }
    }
    return y.toString();
  }
}
