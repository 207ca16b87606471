package dev.rollout.cli;

import dev.rollout.activities.MetricActivities.GateResult;
import dev.rollout.workflow.Decision;
import dev.rollout.workflow.RolloutBrief;
import dev.rollout.workflow.RolloutResult;
import dev.rollout.workflow.RolloutState;
import dev.rollout.workflow.RolloutStatus;
import dev.rollout.workflow.RolloutStatus.WaitingFor;
import dev.rollout.workflow.UndoEntry;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** How a rollout's status reads in a terminal: the full view and the one-line progress of watch. */
final class StatusView {
  private StatusView() {}

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  static void print(RolloutStatus s, Instant now, PrintWriter out) {
    out.printf("%s  %s%n", s.rolloutId(), s.state());
    row(out, "plan", s.plan());
    row(out, "target", s.target());
    row(out, "started", s.startedBy() + (s.startedAt() == null ? "" : " at " + s.startedAt()));
    row(out, "phase", s.phase() == null ? null : (s.phaseIndex() + 1) + "/" + s.phaseCount() + " " + s.phase());
    row(out, "step", s.step());
    row(out, "bake", bake(s, now));
    row(out, "window", s.windowOpensAt() == null ? null : "opens at " + s.windowOpensAt());
    row(out, "waiting", waiting(s.waitingFor()));
    if (!s.lastGates().isEmpty()) {
      out.println("gates");
      for (GateResult gate : s.lastGates()) out.println("  " + gate(gate));
    }
    if (!s.decisions().isEmpty()) {
      out.println("decisions");
      for (Decision d : s.decisions()) out.println("  " + decision(d));
    }
    if (s.result() != null) row(out, "result", result(s.result()));
    if (s.state().terminal()) {
      ended(s, out);
    } else {
      section(out, "undos", s.undos().stream().map(StatusView::undo).toList());
      // What runs if it rolls back now.
      section(out, "undos registered", s.compensations());
    }
    out.flush();
  }

  /**
   * An ended rollout's undos by what became of them: "undone" (and skipped) are facts; what is
   * still open is left to undo by hand after a failed rollback, kept as it is after a rollback
   * that did not reach it, and nothing to mention after a completed rollout (its changes stay).
   */
  private static void ended(RolloutStatus s, PrintWriter out) {
    boolean failed = s.state() == dev.rollout.workflow.RolloutState.ROLLBACK_FAILED;
    boolean completed = s.state() == dev.rollout.workflow.RolloutState.COMPLETED;
    if (s.undos().isEmpty()) { // a status without undo entries: only the open descriptions
      if (!completed) section(out, failed ? "left to undo by hand" : "kept as they are (not undone)", s.compensations());
      return;
    }
    section(out, "undone", undos(s, UndoEntry.Status.DONE));
    section(out, "skipped", undos(s, UndoEntry.Status.SKIPPED));
    if (completed) return;
    List<String> open = s.undos().stream().filter(u -> u.status() != UndoEntry.Status.DONE
        && u.status() != UndoEntry.Status.SKIPPED).map(StatusView::undo).toList();
    section(out, failed ? "left to undo by hand" : "kept as they are (not undone)", open);
  }

  private static List<String> undos(RolloutStatus s, UndoEntry.Status status) {
    return s.undos().stream().filter(u -> u.status() == status).map(StatusView::undo).toList();
  }

  private static void section(PrintWriter out, String title, List<String> lines) {
    if (lines.isEmpty()) return;
    out.println(title);
    for (String line : lines) out.println("  " + line);
  }

  /** What {@code watch} prints when something changes: phase, state, step, what it waits for. */
  static String progress(RolloutStatus s, Instant now) {
    StringBuilder line = new StringBuilder();
    if (s.phase() != null) line.append(s.phase()).append(" (").append(s.phaseIndex() + 1).append('/').append(s.phaseCount()).append(") ");
    line.append(s.state());
    if (s.step() != null && !s.state().terminal()) line.append(" · ").append(s.step());
    String bake = bake(s, now);
    if (bake != null && !s.state().terminal()) line.append(" · bake ").append(bake);
    String waiting = waiting(s.waitingFor());
    if (waiting != null && !s.state().terminal()) line.append(" · waiting for ").append(waiting);
    if (pausedMeanwhile(s.state(), s.pausedByOperator())) line.append(" · ").append(PAUSED_MEANWHILE);
    if (s.result() != null) line.append(" · ").append(result(s.result()));
    return line.toString();
  }

  /** One numbered transition as watch prints it: what the status showed right after it. */
  static String transition(RolloutStatus.Transition t, int phaseCount) {
    StringBuilder line = new StringBuilder();
    if (t.phase() != null) line.append(t.phase()).append(" (").append(t.phaseIndex() + 1).append('/').append(phaseCount).append(") ");
    line.append(t.state());
    if (t.step() != null && !t.state().terminal()) line.append(" · ").append(t.step());
    if (t.bakeEndsAt() != null && !t.state().terminal()) line.append(" · bake until ").append(CLOCK.format(t.bakeEndsAt()));
    String waiting = waiting(t.waitingFor());
    if (waiting != null && !t.state().terminal()) line.append(" · waiting for ").append(waiting);
    return line.toString();
  }

  /** What a rollout paused by an operator while it shows another state says about it. */
  static final String PAUSED_MEANWHILE = "paused by an operator: stops before its next step until resumed";

  /** Paused by an operator while the state shows something else (an approval awaited, a step running). */
  private static boolean pausedMeanwhile(RolloutState state, Boolean pausedByOperator) {
    return Boolean.TRUE.equals(pausedByOperator) && state != null && state != RolloutState.PAUSED && !state.terminal();
  }

  static String bake(RolloutStatus s, Instant now) {
    return bake(s.bakeEndsAt(), now);
  }

  private static String bake(Instant endsAt, Instant now) {
    if (endsAt == null) return null;
    Duration left = Duration.between(now, endsAt);
    if (left.isNegative()) left = Duration.ZERO;
    return left.toSeconds() + "s left (ends " + CLOCK.format(endsAt) + ")";
  }

  /**
   * An action's own brief in one line, like {@link #progress} but without what only the whole
   * status knows (the phase count, the result): phase, state, step, bake, what it waits for.
   */
  static String brief(RolloutBrief b, Instant now) {
    StringBuilder line = new StringBuilder();
    if (b.phase() != null) line.append(b.phase()).append(" (phase ").append(b.phaseIndex() + 1).append(") ");
    line.append(b.state());
    boolean running = b.state() != null && !b.state().terminal();
    if (b.step() != null && running) line.append(" · ").append(b.step());
    String bake = bake(b.bakeEndsAt(), now);
    if (bake != null && running) line.append(" · bake ").append(bake);
    String waiting = waiting(b.waitingFor());
    if (waiting != null && running) line.append(" · waiting for ").append(waiting);
    if (pausedMeanwhile(b.state(), b.pausedByOperator())) line.append(" · ").append(PAUSED_MEANWHILE);
    return line.toString();
  }

  static String waiting(WaitingFor w) {
    if (w == null) return null;
    StringBuilder text = new StringBuilder(String.valueOf(w.kind()));
    if (w.item() != null) text.append(" '").append(w.item()).append('\'');
    if (!w.roles().isEmpty()) text.append(" by ").append(String.join(" or ", w.roles()));
    if (w.required() > 0) text.append(" (").append(w.approvedBy().size()).append('/').append(w.required()).append(" approved");
    if (!w.approvedBy().isEmpty()) text.append(": ").append(w.approvedBy().stream().map(Object::toString).collect(java.util.stream.Collectors.joining(", ")));
    if (w.required() > 0) text.append(')');
    if (w.until() != null) text.append(" until ").append(w.until());
    return text.toString();
  }

  static String gate(GateResult g) {
    String value = g.value() == null ? "no data" : number(g.value());
    String reading = g.detail() != null && !g.detail().isBlank() ? g.detail() : g.metric() + " = " + value + " (" + g.threshold() + ")";
    return String.format("%-8s %s: %s", g.verdict(), g.gate() == null ? g.metric() : g.gate(), reading);
  }

  /** A measured value as precise as a reading needs: 4 significant digits, no trailing zeros. */
  static String number(double v) {
    return dev.rollout.workflow.Readings.number(v);
  }

  static String decision(Decision d) {
    return (d.at() == null ? "" : CLOCK.format(d.at()) + " ") + d.who() + " " + d.what()
        + (d.comment() == null || d.comment().isBlank() ? "" : " — " + d.comment());
  }

  /** {@code u3 FAILED 14:02:11Z traffic on main back to stable — router down}. */
  static String undo(UndoEntry u) {
    return String.format("%-4s %-14s %s%s%s%s", u.id(), u.status(), u.at() == null ? "" : CLOCK.format(u.at()) + " ",
        u.description(), u.error() == null ? "" : " — " + u.error(),
        u.by() == null ? "" : " (" + u.by() + (u.note() == null ? "" : ": " + u.note()) + ")");
  }

  /** The terminal state by name, and why when it rolled back. */
  static String result(RolloutResult r) {
    StringBuilder text = new StringBuilder(r.outcome().name());
    if (r.trigger() != null) text.append(" (").append(r.trigger()).append(')');
    if (r.reason() != null) text.append(": ").append(r.reason());
    if (r.failedCompensation() != null) text.append("; compensation failed: ").append(r.failedCompensation());
    if (!r.skipped().isEmpty()) text.append("; skipped: ").append(String.join("; ", r.skipped()));
    return text.toString();
  }

  private static void row(PrintWriter out, String name, String value) {
    if (value != null && !value.isBlank()) out.printf("%-10s%s%n", name, value);
  }
}
