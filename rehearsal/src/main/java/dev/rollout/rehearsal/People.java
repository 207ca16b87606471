package dev.rollout.rehearsal;

import dev.rollout.plan.Phase;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Step;
import dev.rollout.workflow.Actions;
import dev.rollout.workflow.RolloutBrief;
import dev.rollout.workflow.RolloutState;
import dev.rollout.workflow.RolloutStatus;
import dev.rollout.workflow.RolloutStatus.WaitingFor;
import dev.rollout.workflow.RolloutWorkflow;
import io.temporal.client.WorkflowUpdateException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The people of a rehearsal: answer approvals, checklists and holds as the scenario says. */
final class People {
  /** Returned when an answer was sent: look at the rollout again before letting time pass. */
  static final Instant ANSWERED = Instant.MIN;

  /** Returned while the rollout has not yet acted on an answer (it may be sending a notice). */
  static final Instant PENDING = Instant.MAX;

  private final Scenario scenario;
  private final RolloutWorkflow workflow;
  /** The plan the people work from: who confirms a checklist item is there, and which item comes next. */
  private final Plan plan;
  /** The checklist item after the one last confirmed (phase index, step), or null. */
  private int nextPhase;
  private Step.Checklist nextItem;
  /** True when the item last confirmed is followed by a step that does work (neither a checklist item nor a bake). */
  private boolean workFollows;
  private String answered;
  /** The approval wait being answered (phase, kind, item) and the roles already sent for it. */
  private String approvalWait;
  private final Set<String> rolesSent = new LinkedHashSet<>();
  /** What the last approval's Update answered (the rollout as its handler left it), until taken. */
  private RolloutBrief approvalReply;

  People(Scenario scenario, RolloutWorkflow workflow, Plan plan) {
    this.scenario = scenario;
    this.workflow = workflow;
    this.plan = plan;
  }

  /**
   * Answers what the rollout waits for. Returns {@link #ANSWERED}, the deadline to let pass when
   * nobody answers, or null when the rollout does not wait for people.
   */
  Instant answer(RolloutBrief s) {
    workFollows = false;
    WaitingFor w = s.waitingFor();
    if (w == null || w.kind() == RolloutStatus.WaitKind.WINDOW) {
      answered = null;
      return null;
    }
    if (s.state() == RolloutState.WAITING_FOR_APPROVAL
        && scenario.answer(s.phase(), w.kind().toString()) == Scenario.Answer.NONE) {
      return w.until();
    }
    String wait = waitKey(s.state(), s.phaseIndex(), w.kind(), w.item(), w.approvedBy().size());
    if (wait.equals(answered)) return PENDING;
    answered = wait;
    try {
      if (s.state() == RolloutState.WAITING_FOR_APPROVAL) return approval(s, w);
      if (s.state() == RolloutState.WAITING_FOR_CHECKLIST) {
        confirm(w.item(), w.roles(), w.id());
        follow(s.phaseIndex(), w.item());
        return ANSWERED;
      }
      if (s.state() == RolloutState.ON_HOLD) {
        Actions.Choice choice = scenario.decision(s.phase());
        Deadlines.within("the decision " + choice + " on the hold of phase " + s.phase() + " to be accepted",
            () -> workflow.decide(new Actions.Decide("rehearsal-operator", choice, "rehearsal: scripted",
                w.roles().isEmpty() ? null : w.roles().get(0), w.id())));
        return ANSWERED;
      }
    } catch (WorkflowUpdateException e) {
      throw new IllegalStateException("the rollout refused the rehearsal's answer to " + w.kind() + " ("
          + w.item() + "): " + rootMessage(e), e);
    }
    return null;
  }

  /**
   * Confirms the checklist item that follows the one just confirmed, as a person working down a
   * list does: without looking at the rollout first, since it opens the next item in the workflow
   * task that accepted the last one. Returns {@link #ANSWERED}, or null when no item follows or the
   * rollout does not wait for it (the refusal writes nothing to history; the driver looks then).
   */
  Instant answerNext() {
    Step.Checklist item = nextItem;
    int phase = nextPhase;
    nextItem = null;
    if (item == null) return null;
    workFollows = false;
    try {
      confirm(item.item(), item.roles(), null);
    } catch (WorkflowUpdateException notNow) {
      return null;
    }
    // A read racing this answer must not confirm the item again.
    answered = waitKey(RolloutState.WAITING_FOR_CHECKLIST, phase, RolloutStatus.WaitKind.CHECKLIST, item.item(), 0);
    follow(phase, item.item());
    return ANSWERED;
  }

  /**
   * Confirms a checklist item as the first of its roles (the plan's operator when it names none),
   * for the wait {@code waitId} (null: the item the rollout waits for now, matched by its text).
   */
  private void confirm(String item, List<String> roles, String waitId) {
    String role = roles.isEmpty() ? null : roles.get(0);
    Deadlines.within("the confirmation of '" + item + "' to be accepted", () -> workflow.confirm(
        new Actions.Confirm(Rehearsal.personFor(role == null ? "operator" : role), role, item, "rehearsal", waitId)));
  }

  /** What identifies one answer's wait: a read showing the same one again is not answered twice. */
  private static String waitKey(RolloutState state, int phaseIndex, RolloutStatus.WaitKind kind, String item, int approvals) {
    return state + "|" + phaseIndex + "|" + kind + "|" + item + "|" + approvals;
  }

  /** Remembers the checklist step right after the one that asks for {@code item}, if it is one. */
  private void follow(int phaseIndex, String item) {
    nextItem = null;
    workFollows = false;
    if (phaseIndex < 0 || phaseIndex >= plan.phases().size()) return;
    Phase phase = plan.phases().get(phaseIndex);
    for (int i = 0; i + 1 < phase.steps().size(); i++) {
      if (phase.steps().get(i) instanceof Step.Checklist c && c.item().equals(item)) {
        Step after = phase.steps().get(i + 1);
        if (after instanceof Step.Checklist next) {
          nextItem = next;
          nextPhase = phaseIndex;
        } else {
          workFollows = !(after instanceof Step.Bake);
        }
        return;
      }
    }
  }

  /**
   * True, once, when the checklist item last confirmed is followed in its phase by a step that
   * does work (a deploy, a notice, a health check...): the rollout is running it, and a look now
   * would only show that. Let a tick pass first (it ends as soon as the rollout waits again).
   */
  boolean takeWorkFollows() {
    boolean work = workFollows;
    workFollows = false;
    return work;
  }

  /**
   * One more approval, from a role that has not answered this wait. The roles counted are those
   * the status shows and those this rehearsal has sent: a status read can race an approval just
   * accepted (or show the wait while the rollout still sends its notice), and must neither make
   * a role answer twice nor push past the quorum until no role is left.
   */
  private Instant approval(RolloutBrief s, WaitingFor w) {
    Scenario.Answer answer = scenario.answer(s.phase(), w.kind().toString());
    String thisWait = s.phaseIndex() + "|" + w.kind() + "|" + w.item();
    if (!thisWait.equals(approvalWait)) {
      approvalWait = thisWait;
      rolesSent.clear();
    }
    Set<String> answeredRoles = new LinkedHashSet<>(rolesSent);
    w.roles().stream().filter(r -> w.approvedBy().stream().anyMatch(a -> a.as(r))).forEach(answeredRoles::add);
    if (answeredRoles.size() >= w.required()) return PENDING;
    String role = w.roles().stream()
        .filter(r -> !answeredRoles.contains(r))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no role left to answer " + w.item()));
    rolesSent.add(role);
    if (answer == Scenario.Answer.REJECT) {
      Deadlines.within("the rejection of the " + w.item() + " by " + role + " to be accepted", () -> workflow.reject(
          new Actions.Reject(Rehearsal.personFor(role), role, "rehearsal: scripted rejection", w.id())));
    } else {
      approvalReply = Deadlines.within("the approval of the " + w.item() + " by " + role + " to be accepted",
          () -> workflow.approve(new Actions.Approve(Rehearsal.personFor(role), role, "rehearsal", w.id())));
    }
    return ANSWERED;
  }

  /**
   * What the last approval's Update answered, once: it shows the approvals counted so far, so the
   * next role of a quorum answers without asking the rollout again. Null after a rejection, a
   * confirmation or a decision: the rollout moves on from those in ways their answer does not show yet.
   */
  RolloutBrief takeApprovalReply() {
    RolloutBrief reply = approvalReply;
    approvalReply = null;
    return reply;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) t = t.getCause();
    return t.getMessage();
  }
}
