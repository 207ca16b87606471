package dev.rollout.workflow;

import dev.rollout.activities.MetricActivities.GateResult;
import java.time.Instant;
import java.util.List;

/**
 * What the status Query answers.
 *
 * @param waitingFor what the rollout waits for now, or null
 * @param bakeEndsAt when the current bake ends (workflow time), or null
 * @param windowOpensAt when the awaited window opens, or null
 * @param compensations what is still to undo (pending, failed or waiting for a decision), most
 *     recent last
 * @param undos every undo the rollout registered, with its id, status, time and error: after a
 *     rollback, what was undone, skipped or done by hand (a restore shows its backup and its age)
 * @param watchedTriggers the rollback triggers watched right now (as the plan describes them)
 * @param transitions the rollout's visible changes (state, phase, step, what it waits for), numbered
 *     from 1, oldest first; the last {@link Transition#KEPT} only. A client that remembers the last
 *     number it saw misses none however seldom it asks ({@code rollout watch})
 * @param pausedByOperator an operator paused the rollout and nobody has resumed it: it stops before
 *     its next step (a bake in progress runs on past its end) whatever {@link #state} shows now
 *     (waiting for an approval, running a step); only then is Resume an answer. Null from a worker
 *     before it (a client then goes by {@code state == PAUSED}, as before)
 */
public record RolloutStatus(
    String rolloutId,
    String plan,
    String target,
    String startedBy,
    Instant startedAt,
    RolloutState state,
    int phaseIndex,
    String phase,
    int phaseCount,
    String step,
    WaitingFor waitingFor,
    Instant bakeEndsAt,
    Instant windowOpensAt,
    List<GateResult> lastGates,
    List<Decision> decisions,
    List<String> compensations,
    RolloutResult result,
    List<String> watchedTriggers,
    List<UndoEntry> undos,
    List<Transition> transitions,
    Boolean pausedByOperator) {

  public RolloutStatus {
    watchedTriggers = watchedTriggers == null ? List.of() : List.copyOf(watchedTriggers);
    undos = undos == null ? List.of() : List.copyOf(undos);
    transitions = transitions == null ? List.of() : List.copyOf(transitions);
  }

  /** A status without transitions (a client of an older server, a test). */
  public RolloutStatus(
      String rolloutId, String plan, String target, String startedBy, Instant startedAt, RolloutState state,
      int phaseIndex, String phase, int phaseCount, String step, WaitingFor waitingFor, Instant bakeEndsAt,
      Instant windowOpensAt, List<GateResult> lastGates, List<Decision> decisions, List<String> compensations,
      RolloutResult result, List<String> watchedTriggers, List<UndoEntry> undos) {
    this(rolloutId, plan, target, startedBy, startedAt, state, phaseIndex, phase, phaseCount, step, waitingFor,
        bakeEndsAt, windowOpensAt, lastGates, decisions, compensations, result, watchedTriggers, undos, null, null);
  }

  /**
   * One visible change of the rollout, as the status showed it right after.
   *
   * @param seq its number: 1 for the first, one more for each next (never reused)
   * @param at when it happened (workflow time)
   * @param phaseIndex the phase (0-based), -1 before the first
   * @param waitingFor what the rollout waited for from then on, or null
   * @param bakeEndsAt when the bake it started ends, or null
   */
  public record Transition(
      long seq, Instant at, RolloutState state, int phaseIndex, String phase, String step, WaitingFor waitingFor,
      Instant bakeEndsAt) {
    /** How many transitions the status keeps (a watch falling further behind is told how many it missed). */
    public static final int KEPT = 200;
  }

  public RolloutStatus(
      String rolloutId, String plan, String target, String startedBy, Instant startedAt, RolloutState state,
      int phaseIndex, String phase, int phaseCount, String step, WaitingFor waitingFor, Instant bakeEndsAt,
      Instant windowOpensAt, List<GateResult> lastGates, List<Decision> decisions, List<String> compensations,
      RolloutResult result) {
    this(rolloutId, plan, target, startedBy, startedAt, state, phaseIndex, phase, phaseCount, step, waitingFor,
        bakeEndsAt, windowOpensAt, lastGates, decisions, compensations, result, null, null, null, null);
  }

  /** A status without undos. */
  public RolloutStatus(
      String rolloutId, String plan, String target, String startedBy, Instant startedAt, RolloutState state,
      int phaseIndex, String phase, int phaseCount, String step, WaitingFor waitingFor, Instant bakeEndsAt,
      Instant windowOpensAt, List<GateResult> lastGates, List<Decision> decisions, List<String> compensations,
      RolloutResult result, List<String> watchedTriggers) {
    this(rolloutId, plan, target, startedBy, startedAt, state, phaseIndex, phase, phaseCount, step, waitingFor,
        bakeEndsAt, windowOpensAt, lastGates, decisions, compensations, result, watchedTriggers, null, null, null);
  }

  /**
   * @param kind what kind of answer is awaited
   * @param roles the roles that can answer
   * @param approvedBy the approvals already counted, one per role
   * @param required how many approvals are needed in all
   * @param until the deadline, or null
   * @param id names this one wait (run, sequence, phase, what): an answer carries it and is refused
   *     for any other wait; null for waits nobody answers (a window)
   * @param deadlines the deadline chain so far: each deadline passed and what it led to
   * @param chain the same as data, with the reminders: the deadline, whom it escalated to and since
   *     when, the next reminder; null when the wait has no deadline and no reminders
   */
  public record WaitingFor(
      WaitKind kind, List<String> roles, List<Approver> approvedBy, int required, Instant until, String item,
      String id, List<String> deadlines, DeadlineChain chain) {

    public WaitingFor {
      approvedBy = approvedBy == null ? List.of() : List.copyOf(approvedBy);
      deadlines = deadlines == null ? List.of() : List.copyOf(deadlines);
    }

    /** A wait without a deadline chain. */
    public WaitingFor(
        WaitKind kind, List<String> roles, List<Approver> approvedBy, int required, Instant until, String item,
        String id, List<String> deadlines) {
      this(kind, roles, approvedBy, required, until, item, id, deadlines, null);
    }

    /** A wait without an id (nobody answers it by name). */
    public WaitingFor(WaitKind kind, List<String> roles, List<Approver> approvedBy, int required, Instant until, String item) {
      this(kind, roles, approvedBy, required, until, item, null, List.of());
    }
  }

  /** One approval counted: the role it was given in and the person who gave it. */
  public record Approver(String role, String user) {
    /** Whether this approval was given in {@code role}. */
    public boolean as(String role) {
      return this.role.equals(role);
    }

    /** {@code role=user}, as the CLI prints it. */
    @Override
    public String toString() {
      return role + "=" + user;
    }
  }

  /**
   * Where an approval stands against its deadline (workflow time).
   *
   * @param openedAt when the approval was first asked for
   * @param deadline the plan's deadline for it, kept after it passed; null for none
   * @param escalatedTo the {@code escalateTo} roles that may approve since {@code escalatedAt}; empty
   *     before an escalation
   * @param escalatedAt when the deadline passed and the approval escalated; null before
   * @param nextReminderAt when the next reminder goes out; null without {@code remindEvery}
   * @param remindersSent how many reminders went out so far
   */
  public record DeadlineChain(
      Instant openedAt, Instant deadline, List<String> escalatedTo, Instant escalatedAt, Instant nextReminderAt,
      int remindersSent) {

    public DeadlineChain {
      escalatedTo = escalatedTo == null ? List.of() : List.copyOf(escalatedTo);
    }
  }

  /** What a wait is for; written as before ({@code entry-approval}, ...) in JSON and text. */
  public enum WaitKind {
    ENTRY_APPROVAL("entry-approval"),
    EXIT_APPROVAL("exit-approval"),
    CHECKLIST("checklist"),
    DECISION("decision"),
    RESUME("resume"),
    WINDOW("window"),
    /** A blocked rollback: an undo failed or waits for a decision (retryUndo, skipUndo, markUndoDone). */
    UNDO("undo"),
    /** The watch period after the last phase: nobody answers it, it ends at {@code until}. */
    WATCH("watch");

    private final String text;

    WaitKind(String text) {
      this.text = text;
    }

    @com.fasterxml.jackson.annotation.JsonValue
    @Override
    public String toString() {
      return text;
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static WaitKind of(String text) {
      for (WaitKind k : values()) {
        if (k.text.equalsIgnoreCase(text) || k.name().equalsIgnoreCase(text)) return k;
      }
      throw new IllegalArgumentException("not a kind of wait: " + text);
    }

    public boolean approval() {
      return this == ENTRY_APPROVAL || this == EXIT_APPROVAL;
    }
  }
}
