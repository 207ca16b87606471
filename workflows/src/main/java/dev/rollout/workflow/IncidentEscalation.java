package dev.rollout.workflow;

import dev.rollout.plan.Durations;
import dev.rollout.plan.Escalation;
import dev.rollout.plan.Plan;
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
  static final String ESCALATION = "incident-escalation";

  private final Plan plan;
  private final StatusBoard status;
  private final Notices notices;

  IncidentEscalation(Plan plan, StatusBoard status, Notices notices) {
    this.plan = plan;
    this.status = status;
    this.notices = notices;
  }

  /** One open incident: the chain told so far, until it is closed. */
  final class Incident {
    private final RollbackRequested why;
    private boolean closed;
    private Promise<Void> chain;

    private Incident(RollbackRequested why) {
      this.why = why;
    }

    /** Closes the incident: no rung not yet told will be; returns once the chain has stopped. */
    void close() {
      closed = true;
      if (chain != null) chain.get();
    }
  }

  /** Opens the incident and starts telling the chain; a no-op when the plan has none. */
  Incident open(RollbackRequested why) {
    Incident incident = new Incident(why);
    List<Escalation> rungs = plan.notifications() == null ? List.of() : plan.notifications().escalation();
    // Asked only of plans with a chain: the histories of every other plan stay as they were.
    if (!rungs.isEmpty() && Changes.since(ESCALATION)) {
      incident.chain = Async.procedure(() -> tell(incident, rungs));
    }
    return incident;
  }

  private void tell(Incident incident, List<Escalation> rungs) {
    RollbackRequested why = incident.why;
    Instant opened = StatusBoard.now();
    for (Escalation rung : rungs) {
      Duration due = Duration.between(StatusBoard.now(), opened.plus(rung.after()));
      if (due.isNegative() || due.isZero()) {
        if (incident.closed) return;
      } else if (Workflow.await(due, () -> incident.closed)) {
        return;
      }
      String open = Durations.format(rung.after());
      status.log("system", "escalated to " + rung.notifier(), "incident open " + open + ": " + why.trigger());
      notices.send(rung.notifier(), Severity.CRITICAL,
          "incident open " + open + ": " + plan.name() + " rolling back",
          why.trigger() + ": " + why.reason() + " (state " + status.state() + ")");
    }
  }
}
