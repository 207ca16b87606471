package dev.rollout.workflow;

import dev.rollout.activities.MetricActivities.GateResult;
import dev.rollout.plan.Durations;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Target;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributeUpdate;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Everything the status Query answers, kept current by the workflow. It also writes the short
 * markdown the Web UI shows as the workflow's current details.
 */
final class StatusBoard {
  private final RolloutRequest request;
  private final Instant startedAt;
  private final CompensationStack compensations;
  private final List<Decision> decisions = new ArrayList<>();
  /** The last {@link RolloutStatus.Transition#KEPT} visible changes; query state only, no command. */
  private final java.util.ArrayDeque<RolloutStatus.Transition> transitions = new java.util.ArrayDeque<>();
  private long transitionCount;
  private RolloutState state = RolloutState.STARTING;
  private int phaseIndex = -1;
  private String step;
  private RolloutStatus.WaitingFor waitingFor;
  private Instant bakeEndsAt;
  private Instant windowOpensAt;
  private List<GateResult> lastGates = List.of();
  private RolloutResult result;
  private List<String> watchedTriggers = List.of();
  private int waits;
  /** Set once the rollback begins, for the decision log; never unset. */
  private boolean rollingBack;
  private final RolloutMetrics metrics;
  /** The search attribute values last upserted, by name (null: unset). */
  private final java.util.Map<String, Object> upserted = new java.util.HashMap<>();

  static final String SEARCH_ATTRIBUTES_CHANGE = "search-attributes";
  private boolean searchAttributes;

  private OperatorControls controls;

  StatusBoard(RolloutRequest request, CompensationStack compensations) {
    this.request = request;
    this.compensations = compensations;
    this.startedAt = now();
    this.metrics = new RolloutMetrics(request.plan(), targets());
    metrics.started();
  }

  private String targets() {
    return plan().targets().stream().map(Target::key).collect(Collectors.joining(", "));
  }

  static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }

  Plan plan() {
    return request.plan();
  }

  RolloutState state() {
    return state;
  }

  int phaseIndex() {
    return phaseIndex;
  }

  RolloutStatus.WaitingFor waitingFor() {
    return waitingFor;
  }

  void enterPhase(int index) {
    phaseIndex = index;
    step = null;
    publish();
  }

  void set(RolloutState newState, String newStep) {
    state = newState;
    if (newState == RolloutState.ROLLING_BACK) rollingBack = true;
    step = newStep;
    waitingFor = null;
    bakeEndsAt = null;
    windowOpensAt = null;
    publish();
  }

  /** The state alone, keeping what the rollout waits for (a pause inside a bake keeps its end). */
  void setState(RolloutState newState) {
    state = newState;
    publish();
  }

  void waitFor(RolloutState newState, RolloutStatus.WaitingFor what) {
    state = newState;
    waitingFor = what;
    publish();
  }

  void bakeUntil(Instant endsAt) {
    bakeEndsAt = endsAt;
    publish();
  }

  void windowOpensAt(Instant at) {
    windowOpensAt = at;
    publish();
  }

  /**
   * A new id for a wait people answer: this run, a sequence number, the phase and what is awaited
   * ({@code <run>/w3/p2/entry-approval}). An answer naming another id is refused.
   */
  String newWaitId(RolloutStatus.WaitKind kind) {
    waits++;
    return Workflow.getInfo().getRunId() + "/w" + waits + "/p" + (phaseIndex + 1) + "/" + kind;
  }

  java.time.Instant bakeEndsAt() {
    return bakeEndsAt;
  }

  /** The rollback triggers a watch checks right now. */
  void watching(List<String> triggers) {
    watchedTriggers = List.copyOf(triggers);
  }

  void gates(List<GateResult> results) {
    lastGates = List.copyOf(results);
    metrics.verdicts(results, phaseIndex);
  }

  void log(String who, String what, String comment) {
    decisions.add(new Decision(now(), who, what, comment, phaseIndex < 0 ? null : phaseIndex,
        waitingFor == null ? null : waitingFor.id(), rollingBack));
  }

  List<Decision> decisions() {
    return List.copyOf(decisions);
  }

  void finish(RolloutResult finished) {
    result = finished;
    state = RolloutState.valueOf(finished.outcome().name());
    step = null;
    waitingFor = null;
    bakeEndsAt = null;
    windowOpensAt = null;
    metrics.finished(finished, now());
    publish();
  }

  String phaseName() {
    return phaseIndex < 0 ? null : plan().phases().get(phaseIndex).name();
  }

  RolloutStatus snapshot() {
    return new RolloutStatus(
        request.rolloutId(),
        plan().name(),
        targets(),
        request.startedBy(),
        startedAt,
        state,
        phaseIndex,
        phaseName(),
        plan().phases().size(),
        step,
        waitingFor,
        bakeEndsAt,
        windowOpensAt,
        lastGates,
        List.copyOf(decisions),
        compensations.descriptions(),
        result,
        watchedTriggers,
        undos(),
        List.copyOf(transitions),
        pausedByOperator());
  }

  /**
   * What this run leaves to undo ({@link RolloutLeftover}): a query's answer, no command. The
   * undos as registered (not as {@link #snapshot} words them), so a recovery runs them as they are.
   */
  RolloutLeftover leftover(java.util.Collection<Integer> startedPhases, java.util.Map<String, Integer> contractedIn,
      List<dev.rollout.activities.DatabaseActivities.BackupRecord> backups) {
    return new RolloutLeftover(request, state, phaseIndex, List.copyOf(startedPhases), compensations.entries(),
        contractedIn, backups, decisions);
  }

  /**
   * A recovery takes over a terminated run's story: its decision log and the phase it stopped in
   * (the rollback's reach). Only on the recovery's own board, before it logs anything.
   */
  void recall(List<Decision> earlier, int phase) {
    decisions.addAll(earlier);
    phaseIndex = phase;
  }

  RolloutBrief brief() {
    return new RolloutBrief(state, phaseIndex, phaseName(), step, waitingFor, bakeEndsAt, windowOpensAt, transitionCount,
        pausedByOperator());
  }

  /** Shows the operators' pause ({@link RolloutStatus#pausedByOperator}) from the rollout's controls. */
  void showPauseOf(OperatorControls controls) {
    this.controls = controls;
  }

  private boolean pausedByOperator() {
    return controls != null && controls.paused();
  }

  /**
   * Numbers every visible change (state, phase, step, what is awaited, a bake's end), so a client
   * that polls now and then still sees each one ({@code rollout watch}). Derived state: replay
   * rebuilds it, and it issues no command.
   */
  private void recordTransition() {
    RolloutStatus.Transition last = transitions.peekLast();
    Instant now = now();
    boolean same = last != null && last.state() == state && last.phaseIndex() == phaseIndex
        && java.util.Objects.equals(last.step(), step) && java.util.Objects.equals(last.waitingFor(), waitingFor);
    if (same && java.util.Objects.equals(last.bakeEndsAt(), bakeEndsAt)) return;
    if (same && last.at().equals(now)) {
      // The same change completed in the same moment (a bake's state, then its end): one transition.
      transitions.removeLast();
      transitions.addLast(new RolloutStatus.Transition(last.seq(), now, state, phaseIndex, phaseName(), step, waitingFor, bakeEndsAt));
      return;
    }
    transitions.addLast(new RolloutStatus.Transition(++transitionCount, now, state, phaseIndex, phaseName(), step, waitingFor, bakeEndsAt));
    if (transitions.size() > RolloutStatus.Transition.KEPT) transitions.removeFirst();
  }

  /** Every undo; a restore shows how old its backup is now (what restoring it would lose). */
  private List<UndoEntry> undos() {
    Instant now = now();
    return compensations.entries().stream()
        .map(e -> {
          if (!(e.undo() instanceof Undo.RestoreBackup restore) || restore.takenAt() == null) return e;
          Instant asOf = e.status() == UndoEntry.Status.DONE ? e.at() : now;
          String age = Durations.format(java.time.Duration.between(restore.takenAt(), asOf).abs()
              .truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
          return new UndoEntry(e.id(), e.phase(), e.undo(), e.description() + " — backup " + age + " old"
              + (e.status() == UndoEntry.Status.DONE ? " when restored" : ""), e.status(), e.at(), e.error(), e.by(), e.note());
        })
        .toList();
  }

  /**
   * Decides, once at the start of the run (on the workflow's main thread: a version decided inside
   * an update handler replays out of order), whether this rollout upserts search attributes.
   */
  void startSearchAttributes() {
    searchAttributes = Changes.since(SEARCH_ATTRIBUTES_CHANGE);
    publish();
  }

  /**
   * Keeps the typed search attributes ({@link RolloutSearchAttributes}) current, upserting only what
   * changed. A new command, so behind a version: rollouts started before it upsert nothing.
   */
  private void upsertSearchAttributes() {
    if (!searchAttributes) return;
    List<SearchAttributeUpdate<?>> updates = new ArrayList<>();
    if (upserted.isEmpty()) {
      updates.add(RolloutSearchAttributes.TARGET.valueSet(plan().targets().stream().map(Target::key).toList()));
      updates.add(RolloutSearchAttributes.ENVIRONMENT.valueSet(
          plan().targets().stream().map(Target::environment).distinct().toList()));
      updates.add(RolloutSearchAttributes.PLAN.valueSet(plan().name()));
    }
    change(updates, RolloutSearchAttributes.STATE, state.name());
    change(updates, RolloutSearchAttributes.PHASE, phaseName());
    change(updates, RolloutSearchAttributes.OUTCOME, result == null ? null : result.outcome().name());
    List<String> roles = waitingFor == null || waitingFor.roles() == null ? List.of() : waitingFor.roles();
    change(updates, RolloutSearchAttributes.WAITING_FOR, roles.isEmpty() ? null : roles);
    if (!updates.isEmpty()) Workflow.upsertTypedSearchAttributes(updates.toArray(SearchAttributeUpdate<?>[]::new));
  }

  private <T> void change(List<SearchAttributeUpdate<?>> updates, SearchAttributeKey<T> key, T value) {
    if (upserted.containsKey(key.getName()) && java.util.Objects.equals(upserted.get(key.getName()), value)) return;
    if (value == null && !upserted.containsKey(key.getName())) {
      upserted.put(key.getName(), null);
      return;
    }
    upserted.put(key.getName(), value);
    updates.add(value == null ? key.valueUnset() : key.valueSet(value));
  }

  /** The Web UI's "current details": a few lines of markdown. */
  private void publish() {
    recordTransition();
    metrics.state(state, waitingFor, lastGates, now());
    upsertSearchAttributes();
    StringBuilder md = new StringBuilder("**").append(state).append("**");
    if (phaseIndex >= 0) {
      md.append(" — phase ").append(phaseIndex + 1).append('/').append(plan().phases().size());
      md.append(": ").append(phaseName());
    }
    if (step != null) md.append("\n\nstep: ").append(step);
    if (waitingFor != null) {
      md.append("\n\nwaiting for ").append(waitingFor.kind()).append(" from ").append(waitingFor.roles());
      if (waitingFor.until() != null) md.append(" until ").append(waitingFor.until());
    }
    if (bakeEndsAt != null) {
      // An absolute time: the Web UI shows this text as written, so "ends in 2h" would freeze.
      md.append("\n\nbake ends at ").append(bakeEndsAt);
    }
    if (windowOpensAt != null) md.append("\n\nwindow opens ").append(windowOpensAt);
    if (state == RolloutState.ROLLBACK_FAILED) {
      md.append("\n\n**rollback failed** at ").append(result.failedCompensation()).append(" — undos left to do by hand: ")
          .append(compensations.openCount());
    } else if (state == RolloutState.ROLLBACK_BLOCKED) {
      md.append("\n\n**rollback blocked**: an undo needs a person (retry, skip or mark done)");
    } else if (!state.terminal()) {
      md.append("\n\nundos registered: ").append(compensations.openCount());
    }
    Workflow.setCurrentDetails(md.toString());
  }
}
