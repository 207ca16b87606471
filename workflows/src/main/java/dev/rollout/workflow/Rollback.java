package dev.rollout.workflow;

import dev.rollout.plan.AfterContract;
import dev.rollout.plan.Database;
import dev.rollout.plan.DatabaseRestore;
import dev.rollout.plan.Durations;
import dev.rollout.plan.Phase;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Severity;
import dev.rollout.plan.Step;
import dev.rollout.workflow.UndoEntry.Status;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Undoes a rollout. Runs in a detached cancellation scope (see {@link RolloutWorkflowImpl}), so
 * it completes even when the workflow was cancelled.
 *
 * <p>Reach: with {@code rollbackScope: target} (the default) and phases naming their targets, only
 * the failing phase's target is rolled back ({@link RollbackReach}); the plan's emergency steps
 * always run.
 *
 * <p>Order (since {@value Changes#SAFE_ROLLBACK}): the plan's emergency {@code rollback} steps, the
 * phases' own {@code rollback} steps (last phase first), then traffic and flags, then workloads
 * (image, replicas, env), then databases, each group most recent first. A backup is restored only
 * when the plan says {@code onRollback: restore} for that database, or a person decides it; never
 * on its own after the database's contract migration ran. An undo that still fails after its
 * retries does not end the rollout: the undos of other resources carry on, then the rollout waits
 * {@code ROLLBACK_BLOCKED} (target still locked) until people retry, skip or mark done each open
 * undo by id. Only then does it end, its result naming what was skipped.
 *
 * <p>Since {@value #HOLD_IN_REACH}, {@code afterContract: hold} holds only the undos this rollback
 * runs, and only for a contract migration that ran in a phase it undoes: a staging database
 * contracted in a stage that a production failure keeps does not hold production's switch back.
 * Since {@value #RESTORE_ANNOUNCED}, a restore is logged and announced before it runs (the backup's
 * time and age, whose decision it was, what it loses) and its loss is logged once it ran.
 */
final class Rollback {
  static final String HOLD_IN_REACH = "after-contract-hold-in-reach";
  static final String RESTORE_ANNOUNCED = "restore-announced";
  /**
   * The "rolling back" notification is sent alongside the first undo instead of before it; the
   * rollback ends only once it is done ({@link Notices#allDone}).
   */
  static final String NOTICE_ALONGSIDE_UNDO = "rollback-notice-alongside-undo";

  private final Plan plan;
  private final StatusBoard status;
  private final Notices notices;
  private final CompensationStack stack;
  private final StepRunner steps;
  private final StartedPhases started;
  private final UndoRunner undos;

  Rollback(Plan plan, StatusBoard status, Notices notices, CompensationStack stack, StepRunner steps,
      StartedPhases started, UndoRunner undos) {
    this.plan = plan;
    this.status = status;
    this.notices = notices;
    this.stack = stack;
    this.steps = steps;
    this.started = started;
    this.undos = undos;
  }

  RolloutResult run(RollbackRequested why) {
    status.set(RolloutState.ROLLING_BACK, null);
    status.log("system", "rollback (" + why.trigger() + ")", why.reason());
    String title = "rolling back " + plan.name();
    String message = why.trigger() + ": " + why.reason();
    // Since NOTICE_ALONGSIDE_UNDO the notification goes out with the first undo, not before it:
    // one workflow task (a full replay at scale) less, and no undo waits for a notifier.
    if (Changes.current().safeRollback() && notices.onRollback() != null
        && Changes.since(NOTICE_ALONGSIDE_UNDO)) {
      notices.sendAlongside(notices.onRollback(), Severity.CRITICAL, title, message);
    } else {
      notices.send(notices.onRollback(), Severity.CRITICAL, title, message);
    }
    if (!Changes.current().safeRollback()) return runBeforeSafeRollback(why);

    // rollbackScope: target leaves the other targets' phases (their steps and undos) as they are.
    RollbackReach reach = new RollbackReach(plan, status.phaseIndex());
    List<String> order = order(reach);
    decideWhatWaitsForPeople(order, reach);
    Set<String> alerted = new HashSet<>();
    while (true) {
      pass(order);
      List<UndoEntry> open = order.stream().map(stack::get).filter(UndoEntry::open).toList();
      if (open.isEmpty()) break;
      waitForPeople(open, alerted);
    }
    List<String> skipped = stack.entries().stream()
        .filter(e -> e.status() == Status.SKIPPED)
        .map(e -> e.id() + " " + e.description() + ": skipped by " + e.by() + " (" + e.note() + ")")
        .toList();
    if (!skipped.isEmpty()) {
      notices.send(notices.onRollback(), Severity.WARNING, "rolled back " + plan.name() + " with undos skipped",
          String.join("; ", skipped));
    }
    // The notification sent alongside the first undo is done before the rollout shows its end:
    // an ended rollout's run closes at once (a start on its target waits for that).
    Workflow.await(notices::allDone);
    return new RolloutResult(Outcome.ROLLED_BACK, why.reason(), why.trigger(), null, status.decisions(), skipped);
  }

  /** Registers the rollback steps as undos and lists every undo's id in the order they run. */
  private List<String> order(RollbackReach reach) {
    List<String> order = new ArrayList<>();
    List<UndoEntry> registered = stack.entries();
    List<String> kept = reach.kept(started.all());
    if (!kept.isEmpty()) {
      status.log("system", "rolling back " + reach.target().key() + " only (rollbackScope: target)",
          "kept as they are: " + String.join(", ", kept));
    }
    if (!started.isEmpty()) {
      List<Step> emergency = plan.rollback();
      for (int s = 0; s < emergency.size(); s++) {
        order.add(stack.push(-1, new Undo.RunStep(emergency.get(s), "rr" + (s + 1))));
      }
      List<Phase> phases = plan.phases();
      for (int i = phases.size() - 1; i >= 0; i--) {
        if (!started.contains(i) || !reach.undoes(i)) continue;
        List<Step> steps = phases.get(i).rollback();
        for (int s = 0; s < steps.size(); s++) {
          order.add(stack.push(i, new Undo.RunStep(steps.get(s), "p" + (i + 1) + "r" + (s + 1))));
        }
      }
    }
    for (Undo.Group group : Undo.Group.values()) {
      for (int k = registered.size() - 1; k >= 0; k--) {
        UndoEntry e = registered.get(k);
        if (e.undo().group() != group || !e.open()) continue;
        if (e.phase() >= 0 && e.phase() < plan.phases().size() && !reach.undoes(e.phase())) continue;
        order.add(e.id());
      }
    }
    return order;
  }

  /**
   * Restores wait for a decision unless the plan says restore (never after a contract); after a
   * contract migration with {@code afterContract: hold}, everything waits for a forward fix. Since
   * {@value #HOLD_IN_REACH} both concern only the undos in {@code order} (the rollback's reach),
   * and a contract holds only when the phase that ran it is one this rollback undoes.
   */
  private void decideWhatWaitsForPeople(List<String> order, RollbackReach reach) {
    boolean inReach = Changes.since(HOLD_IN_REACH);
    Set<String> runs = inReach ? new HashSet<>(order) : null;
    Set<String> contracted = steps.contracted();
    for (UndoEntry e : stack.entries()) {
      if (!(e.undo() instanceof Undo.RestoreBackup restore) || e.status() != Status.PENDING) continue;
      if (inReach && !runs.contains(e.id())) continue;
      Database db = plan.resources().databases().get(restore.database());
      String loses = "restoring loses every write to " + restore.database() + " since "
          + (restore.takenAt() == null ? "the backup" : restore.takenAt());
      if (contracted.contains(restore.database())) {
        stack.update(e.id(), Status.NEEDS_DECISION,
            "not restored automatically: the contract migration of " + restore.database()
                + " ran (point of no return); " + loses, null, null);
      } else if (db == null || db.onRollback() != DatabaseRestore.RESTORE) {
        stack.update(e.id(), Status.NEEDS_DECISION,
            "a person decides (the plan does not say onRollback: restore); " + loses
                + "; keeping the data keeps the migrated schema, which the stable version may not run on", null, null);
      }
    }
    List<String> holding = contracted.stream()
        .filter(name -> {
          Database db = plan.resources().databases().get(name);
          return db == null || db.afterContract() == AfterContract.HOLD;
        })
        .toList();
    if (inReach) {
      List<String> kept = holding.stream().filter(name -> !contractedInReach(name, reach)).toList();
      if (!kept.isEmpty()) {
        status.log("system", "not held for the contract of " + String.join(", ", kept),
            "it ran in a stage this rollback keeps (rollbackScope: target)");
      }
      holding = holding.stream().filter(name -> contractedInReach(name, reach)).toList();
    }
    if (holding.isEmpty()) return;
    String why = "held for a forward fix: the contract migration of " + String.join(", ", holding)
        + " ran (point of no return); the plan says afterContract: hold";
    for (UndoEntry e : stack.entries()) {
      if (inReach && !runs.contains(e.id())) continue;
      if (e.status() == Status.PENDING) stack.update(e.id(), Status.NEEDS_DECISION, why, null, null);
    }
    status.log("system", "rollback held for a forward fix", why);
  }

  /** Whether the phase that contracted the database is one this rollback undoes (a rollback step's: yes). */
  private boolean contractedInReach(String database, RollbackReach reach) {
    Integer phase = steps.contractedIn().get(database);
    return phase == null || phase < 0 || phase >= plan.phases().size() || reach.undoes(phase);
  }

  /** Runs every pending undo whose resource no open undo ahead of it holds back. */
  private void pass(List<String> order) {
    Set<String> held = new HashSet<>();
    for (String id : order) {
      UndoEntry e = stack.get(id);
      String resource = e.undo().resource();
      if (e.status() == Status.FAILED || e.status() == Status.NEEDS_DECISION) held.add(resource);
      if (e.status() != Status.PENDING) continue;
      if (held.contains(resource)) continue;
      status.set(RolloutState.ROLLING_BACK, "undo " + e.id() + ": " + e.description());
      boolean announced = e.undo() instanceof Undo.RestoreBackup restore && announce(e, restore);
      try {
        undos.run(e);
        stack.update(id, Status.DONE, null, e.by(), e.note());
        if (announced) {
          Undo.RestoreBackup restore = (Undo.RestoreBackup) e.undo();
          status.log("system", "restored " + restore.database() + " from " + restore.backup().location(),
              "lost: every write to " + restore.database() + " since " + takenAt(restore));
        }
      } catch (RuntimeException failed) {
        String error = message(failed);
        stack.update(id, Status.FAILED, error, null, null);
        status.log("system", "undo " + e.id() + " failed: " + e.description(), error);
        held.add(resource);
      }
    }
  }

  /**
   * Before a restore runs (since {@value #RESTORE_ANNOUNCED}): the decision log and the rollback
   * notifier say whose decision it is, the backup's time and age, and what it loses.
   */
  private boolean announce(UndoEntry e, Undo.RestoreBackup restore) {
    if (!Changes.since(RESTORE_ANNOUNCED)) return false;
    Instant taken = restore.takenAt() != null ? restore.takenAt() : restore.backup().createdAt();
    String age = taken == null ? "age unknown"
        : Durations.format(Duration.between(taken, StatusBoard.now()).abs().truncatedTo(ChronoUnit.SECONDS)) + " old";
    String whose = e.by() == null ? "the plan says onRollback: restore" : "decided by " + e.by()
        + (e.note() == null ? "" : " (" + e.note() + ")");
    String what = "restoring " + restore.database() + " from its backup taken " + (taken == null ? "at an unknown time" : taken)
        + " (" + age + ")";
    String loses = "every write to " + restore.database() + " since " + takenAt(restore) + " is lost; " + whose;
    status.log("system", what, loses);
    notices.send(notices.onRollback(), Severity.CRITICAL, what, loses);
    return true;
  }

  private static String takenAt(Undo.RestoreBackup restore) {
    Instant taken = restore.takenAt() != null ? restore.takenAt() : restore.backup().createdAt();
    return taken == null ? "the backup (time not recorded)" : taken.toString();
  }

  /** ROLLBACK_BLOCKED: alert about new failures, then wait for one person's request and apply it. */
  private void waitForPeople(List<UndoEntry> open, Set<String> alerted) {
    List<String> lines = open.stream()
        .filter(e -> e.status() != Status.PENDING)
        .map(e -> e.id() + " " + e.description() + ": " + e.status() + (e.error() == null ? "" : " (" + e.error() + ")"))
        .toList();
    status.set(RolloutState.ROLLBACK_BLOCKED, null);
    status.waitFor(RolloutState.ROLLBACK_BLOCKED,
        new RolloutStatus.WaitingFor(RolloutStatus.WaitKind.UNDO, plan.roles(), List.of(), 1, null,
            String.join("; ", lines), status.newWaitId(RolloutStatus.WaitKind.UNDO), List.of()));
    List<String> fresh = open.stream()
        .filter(e -> e.status() != Status.PENDING && alerted.add(e.id() + "/" + e.status() + "/" + e.at()))
        .map(e -> e.id() + " " + e.description() + ": " + e.status() + (e.error() == null ? "" : " (" + e.error() + ")"))
        .toList();
    if (!fresh.isEmpty()) {
      notices.send(notices.onRollback(), Severity.CRITICAL, "ROLLBACK BLOCKED: " + plan.name(),
          String.join("; ", fresh) + " — retry, skip or mark each done by hand; the target stays locked");
    }
    Workflow.await(stack::hasRequest);
    UndoRequest request = stack.takeRequest();
    String who = request.role() == null ? request.user() : request.user() + " (" + request.role() + ")";
    UndoEntry e = stack.get(request.undoId());
    switch (request.kind()) {
      case RETRY -> stack.update(e.id(), Status.PENDING, null, who, request.reason());
      case SKIP -> stack.update(e.id(), Status.SKIPPED, e.error(), who, request.reason());
      case MARK_DONE -> stack.update(e.id(), Status.DONE, null, who, "done by hand: " + request.reason());
    }
    status.log(who, request.kind().verb() + " " + e.id() + ": " + e.description(), request.reason());
    status.set(RolloutState.ROLLING_BACK, null);
  }

  // --- rollouts started before safe-rollback: per phase, stop at the first failed undo ---

  private RolloutResult runBeforeSafeRollback(RollbackRequested why) {
    List<Phase> phases = plan.phases();
    RollbackReach reach = new RollbackReach(plan, status.phaseIndex());
    if (!reach.kept(started.all()).isEmpty()) {
      status.log("system", "rolling back " + reach.target().key() + " only (rollbackScope: target)",
          "kept as they are: " + String.join(", ", reach.kept(started.all())));
    }
    for (int i = phases.size() - 1; i >= 0; i--) {
      if (!reach.undoes(i)) continue;
      String failed = started.contains(i) ? rollbackSteps(i, phases.get(i)) : null;
      while (failed == null && stack.peek() != null && stack.peek().phase() == i) {
        failed = undo(stack.peek());
      }
      if (failed != null) return failed(why, failed);
    }
    return new RolloutResult(Outcome.ROLLED_BACK, why.reason(), why.trigger(), null, status.decisions());
  }

  /** The phase's explicit rollback steps; null when all ran, else what failed. */
  private String rollbackSteps(int index, Phase phase) {
    for (int s = 0; s < phase.rollback().size(); s++) {
      Step step = phase.rollback().get(s);
      String label = Steps.label(step);
      status.set(RolloutState.ROLLING_BACK, "rollback step: " + label);
      Steps.Role role = Steps.role(step);
      if (role == Steps.Role.NOTICE) {
        Step.Notify n = (Step.Notify) step;
        notices.send(n.notifier(), n.severity(), phase.name() + ": " + label, n.message());
      } else if (role == Steps.Role.BAKE || role == Steps.Role.CHECKLIST) {
        status.log("system", "skipped rollback step '" + label + "'", "a rollback does not wait");
      } else {
        try {
          steps.change(-1, "p" + (index + 1) + "r" + (s + 1), step);
        } catch (TemporalFailure | RollbackRequested e) {
          return "phase " + (index + 1) + ": rollback step " + label + ": " + message(e);
        }
      }
    }
    return null;
  }

  private String undo(UndoEntry c) {
    status.set(RolloutState.ROLLING_BACK, "undo: " + c.description());
    try {
      undos.run(c);
      stack.update(c.id(), Status.DONE, null, null, null);
      return null;
    } catch (ActivityFailure | RollbackRequested e) {
      return "phase " + (c.phase() + 1) + ": " + c.description() + ": " + message(e);
    }
  }

  private RolloutResult failed(RollbackRequested why, String failed) {
    status.log("system", "rollback failed", failed);
    notices.send(notices.onRollback(), Severity.CRITICAL,
        "ROLLBACK FAILED: " + plan.name(), failed + "; still to undo by hand: " + stack.descriptions());
    return new RolloutResult(Outcome.ROLLBACK_FAILED, why.reason(), why.trigger(), failed, status.decisions());
  }

  private static String message(RuntimeException e) {
    return e instanceof RollbackRequested rr ? rr.reason() : Failures.rootMessage(e);
  }
}
