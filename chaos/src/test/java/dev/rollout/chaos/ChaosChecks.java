package dev.rollout.chaos;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollout.workflow.Decision;
import dev.rollout.workflow.RolloutResult;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks one finished chaos rollout against its script and counts what was checked: its end
 * state, every side effect in the ledger (each change once under one key, retries of that key
 * aside; each undone once on a rollback), the router's own record, the flag file, the database,
 * and its approvals (each counted once).
 */
final class ChaosChecks {

  private static final ObjectMapper JSON = new ObjectMapper();

  final List<String> problems = new ArrayList<>();
  int effectsChecked;
  int retriedEffects;
  int extraAttempts;
  int approvalsChecked;
  int undosChecked;

  private final String ledgerDatabase;
  private final LocalTargets targets;

  ChaosChecks(String ledgerDatabase, LocalTargets targets) {
    this.ledgerDatabase = ledgerDatabase;
    this.targets = targets;
  }

  void check(ChaosRollout r) throws Exception {
    ChaosScript s = r.script();
    RolloutResult result = r.driver().result;
    String who = r.rolloutId() + " " + s;
    if (r.driver().failure != null) {
      problems.add(who + ": driver failed: " + r.driver().failure);
      return;
    }
    if (result == null) {
      problems.add(who + ": no result");
      return;
    }
    if (result.outcome() != s.expectedOutcome()) {
      problems.add(who + ": ended " + result.outcome() + " (" + result.trigger() + ": " + result.reason() + "), script says " + s.expectedOutcome());
    }
    checkLedger(r, who);
    List<Double> weights = collapse(targets.puts(s.name()));
    if (!weights.equals(s.expectedWeights())) problems.add(who + ": router weights " + weights + ", expected " + s.expectedWeights());
    double finalWeight = s.breaksAt() == null ? 100 : 0;
    if (targets.weight(s.name()) != finalWeight) problems.add(who + ": router ends at " + targets.weight(s.name()) + "%, expected " + finalWeight);
    Map<String, Object> flags = new TreeMap<>(JSON.readValue(Files.readString(r.flagFile()), new TypeReference<Map<String, Object>>() {}));
    if (!flags.equals(s.expectedFlagFile())) problems.add(who + ": flag file " + flags + ", expected " + s.expectedFlagFile());
    if (r.database() != null) checkDatabase(r, who);
    checkApprovals(result, s, who);
  }

  private void checkLedger(ChaosRollout r, String who) throws Exception {
    Map<String, String> effectByKey = new LinkedHashMap<>();
    Map<String, Set<Integer>> attemptsByKey = new LinkedHashMap<>();
    try (Connection c = SharedPostgres.connect(ledgerDatabase);
        PreparedStatement q = c.prepareStatement(
            "select effect_key, attempt, target, action, value from side_effects where rollout = ? order by id")) {
      q.setString(1, r.rolloutId());
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          String key = rs.getString(1);
          String effect = rs.getString(3) + " " + rs.getString(4) + " " + rs.getString(5);
          String earlier = effectByKey.putIfAbsent(key, effect);
          if (earlier != null && !earlier.equals(effect)) problems.add(who + ": key " + key + " made two different changes: " + earlier + " / " + effect);
          if (!attemptsByKey.computeIfAbsent(key, k -> new HashSet<>()).add(rs.getInt(2))) {
            problems.add(who + ": key " + key + " attempt " + rs.getInt(2) + " recorded twice");
          }
        }
      }
    }
    List<String> actual = List.copyOf(effectByKey.values());
    List<String> expected = r.script().expectedEffects();
    if (!actual.equals(expected)) problems.add(who + ": side effects " + actual + ", expected " + expected);
    effectsChecked += actual.size();
    undosChecked += r.script().expectedUndos().size();
    for (Set<Integer> attempts : attemptsByKey.values()) {
      if (attempts.size() > 1) {
        retriedEffects++;
        extraAttempts += attempts.size() - 1;
      }
    }
  }

  private void checkDatabase(ChaosRollout r, String who) throws Exception {
    try (Connection c = SharedPostgres.connect(r.database());
        ResultSet rs = c.createStatement().executeQuery(
            "select (select count(*) from information_schema.columns where table_name = 'orders' and column_name = 'note'),"
                + " (select count(*) from orders)")) {
      rs.next();
      // An expand migration is never undone: the schema stays expanded after a rollback too.
      if (rs.getInt(1) != 1) problems.add(who + ": database " + r.database() + " not migrated");
      if (rs.getInt(2) != 1) problems.add(who + ": database " + r.database() + " lost its order row (" + rs.getInt(2) + " rows)");
    }
  }

  private void checkApprovals(RolloutResult result, ChaosScript s, String who) {
    List<Decision> approvals = result.decisions().stream().filter(d -> d.what().startsWith("approved ")).toList();
    Set<String> distinct = new HashSet<>();
    approvals.forEach(d -> distinct.add(d.who() + " " + d.what()));
    if (distinct.size() != approvals.size()) problems.add(who + ": an approval was counted twice: " + approvals);
    if (approvals.size() != s.expectedApprovals()) {
      problems.add(who + ": " + approvals.size() + " approvals counted, expected " + s.expectedApprovals() + ": " + approvals);
    }
    approvalsChecked += approvals.size();
  }

  /** A weight set again by a retry of the same call shows up twice in a row: once is the change. */
  private static List<Double> collapse(List<Double> puts) {
    List<Double> out = new ArrayList<>();
    for (Double p : puts) if (out.isEmpty() || !out.get(out.size() - 1).equals(p)) out.add(p);
    return out;
  }
}
