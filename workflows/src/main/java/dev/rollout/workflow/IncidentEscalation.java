package dev.rollout.workflow;

import dev.rollout.plan.Durations;
import dev.rollout.plan.Escalation;
import dev.rollout.plan.Severity;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The plan's escalation chain ({@code notifications.escalation}) while an incident is open: from
 * the moment the rollout starts rolling back until it ends. Each rung is told once, when the
 * incident has been open for its {@code after} (0m: at once); rungs not yet due when the incident
 * closes are never told. It runs beside the rollback, in the rollback's detached scope, so a
 * rollback that waits for people (blocked) keeps escalating while nobody acts.
 */
final class IncidentEscalation {
  /** Version 1 runs the plan's escalation chain; before, only onRollback was told. */
  private static final String ESCALATION = "incident-escalation";

  private final Rollout r;
  private final RollbackRequested why;
  private boolean closed;
  private Promise<Void> chain;

  private IncidentEscalation(Rollout rollout, RollbackRequested why) {
    this.r = rollout;
    this.why = why;
  }

  /** Opens the incident and starts telling the chain; a no-op when the plan has none. */
  static IncidentEscalation open(Rollout rollout, RollbackRequested why) {
    IncidentEscalation incident = new IncidentEscalation(rollout, why);
    List<Escalation> rungs = rollout.plan().notifications() == null ? List.of()
        : rollout.plan().notifications().escalation();
    // Asked only of plans with a chain: the histories of every other plan stay as they were.
    if (!rungs.isEmpty() && Workflow.getVersion(ESCALATION, Workflow.DEFAULT_VERSION, 1) == 1) {
      incident.chain = Async.procedure(() -> incident.tell(rungs));
    }
    return incident;
  }

  /** Closes the incident: no rung not yet told will be; returns once the chain has stopped. */
  void close() {
    closed = true;
    if (chain != null) chain.get();
  }

  private void tell(List<Escalation> rungs) {
    Instant opened = StatusBoard.now();
    for (Escalation rung : rungs) {
      Duration due = Duration.between(StatusBoard.now(), opened.plus(rung.after()));
      if (due.isNegative() || due.isZero()) {
        if (closed) return;
      } else if (Workflow.await(due, () -> closed)) {
        return;
      }
      String open = Durations.format(rung.after());
      r.status().log("system", "escalated to " + rung.notifier(), "incident open " + open + ": " + why.trigger());
      r.notices().send(rung.notifier(), Severity.CRITICAL,
          "incident open " + open + ": " + r.plan().name() + " rolling back",
          why.trigger() + ": " + why.reason() + " (state " + r.status().state() + ")");
    }
  }
}
