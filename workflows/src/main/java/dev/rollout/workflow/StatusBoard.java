package dev.rollout.workflow;

import dev.rollout.activities.MetricActivities.GateResult;
import dev.rollout.plan.Durations;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Target;
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
  private RolloutState state = RolloutState.STARTING;
  private int phaseIndex = -1;
  private String step;
  private RolloutStatus.WaitingFor waitingFor;
  private Instant bakeEndsAt;
  private Instant windowOpensAt;
  private List<GateResult> lastGates = List.of();
  private RolloutResult result;

  StatusBoard(RolloutRequest request, CompensationStack compensations) {
    this.request = request;
    this.compensations = compensations;
    this.startedAt = now();
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

  void gates(List<GateResult> results) {
    lastGates = List.copyOf(results);
  }

  void log(String who, String what, String comment) {
    decisions.add(new Decision(now(), who, what, comment));
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
    publish();
  }

  String phaseName() {
    return phaseIndex < 0 ? null : plan().phases().get(phaseIndex).name();
  }

  RolloutStatus snapshot() {
    return new RolloutStatus(
        request.rolloutId(),
        plan().name(),
        plan().targets().stream().map(Target::key).collect(Collectors.joining(", ")),
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
        undos());
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

  /** The Web UI's "current details": a few lines of markdown. */
  private void publish() {
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
      md.append("\n\nbake ends ").append(bakeEndsAt).append(" (in ");
      md.append(Durations.format(java.time.Duration.between(now(), bakeEndsAt).abs())).append(')');
    }
    if (windowOpensAt != null) md.append("\n\nwindow opens ").append(windowOpensAt);
    md.append("\n\nstill to undo: ").append(compensations.descriptions().size());
    Workflow.setCurrentDetails(md.toString());
  }
}
