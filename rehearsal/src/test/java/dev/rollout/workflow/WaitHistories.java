package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;

import dev.rollout.plan.Comparison;
import dev.rollout.plan.GateFailureAction;
import dev.rollout.plan.Plan;
import dev.rollout.plan.TimeoutAction;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.Scenario;
import dev.rollout.rehearsal.Scenario.Answer;
import dev.rollout.rehearsal.Scenario.MetricRule;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records the reject, deadline, abort and hold histories {@link ReplayTest} replays, into NEW
 * files only (an existing file is never overwritten; add each new file to {@code SHA256SUMS}):
 *
 * <pre>
 * mvn -B -o -pl rehearsal -am test -Dtest=WaitHistories -Dhistories.recordNew=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfSystemProperty(named = "histories.recordNew", matches = "true")
class WaitHistories {

  private static Plan twoPhases(dev.rollout.plan.Approval entryOfSecond) {
    return TestPlans.plan("shop", List.of(TestPlans.gate("error_rate", Comparison.GT, "5%")),
        phase("Canary").steps(TestPlans.traffic(10)).bake(Duration.ofHours(1)).build(),
        phase("Everyone").entry(entryOfSecond).steps(TestPlans.traffic(100)).build());
  }

  private static Scenario answers(Map<String, Answer> approvals) {
    return new Scenario("answers", null, null, approvals, null, null, null);
  }

  @Test
  void record() throws IOException {
    // the second phase's entry approval is rejected: rolled back
    try (Rehearsal rehearsal = Rehearsal.open(answers(Map.of("Everyone", Answer.REJECT)))) {
      rehearsal.start(twoPhases(TestPlans.approval(1, "devops")), "alice");
      check(rehearsal.drive().result().outcome() == Outcome.ROLLED_BACK, "reject");
      write(rehearsal, "approval-rejected.json");
    }
    // nobody approves within the deadline and the plan says abort
    try (Rehearsal rehearsal = Rehearsal.open(answers(Map.of("Everyone", Answer.NONE)))) {
      rehearsal.start(twoPhases(TestPlans.approval(Duration.ofHours(4), TimeoutAction.ABORT, "devops")), "alice");
      check(rehearsal.drive().result().outcome() == Outcome.ROLLED_BACK, "deadline");
      write(rehearsal, "approval-deadline-abort.json");
    }
    // an operator pauses the bake, resumes, then aborts
    try (Rehearsal rehearsal = Rehearsal.open(Scenario.HAPPY)) {
      RolloutWorkflow wf = rehearsal.start(twoPhases(TestPlans.approval(1, "devops")), "alice");
      Poll.state(wf, RolloutState.BAKING);
      wf.pause(new Actions.Operator("bob", "dashboard looks odd"));
      Poll.state(wf, RolloutState.PAUSED);
      wf.resume(new Actions.Operator("bob", "fine", "devops"));
      Poll.state(wf, RolloutState.BAKING);
      wf.abort(new Actions.Abort("bob", "wrong image", "devops"));
      check(WorkflowStub.fromTyped(wf).getResult(RolloutResult.class).outcome() == Outcome.ROLLED_BACK, "abort");
      write(rehearsal, "operator-pause-abort.json");
    }
    // a failed gate holds; CONTINUE, then the next phase's approval, given
    Scenario slow = new Scenario("slow", null, List.of(new MetricRule("p99_latency", "1500ms", null, null)),
        null, Map.of("Canary", Actions.Choice.CONTINUE), null, null);
    Plan held = TestPlans.plan("api", List.of(TestPlans.gate("error_rate", Comparison.GT, "5%")),
        phase("Canary").steps(TestPlans.traffic(10)).bake(Duration.ofHours(1))
            .gates(TestPlans.gate("p99_latency", Comparison.LT, "1000ms")).onGateFailure(GateFailureAction.HOLD).build(),
        phase("Everyone").entry(TestPlans.approval(1, "devops")).steps(TestPlans.traffic(100)).build());
    try (Rehearsal rehearsal = Rehearsal.open(slow)) {
      rehearsal.start(held, "alice");
      check(rehearsal.drive().result().outcome() == Outcome.COMPLETED, "hold");
      write(rehearsal, "hold-continued.json");
    }
  }

  /** Two seed plans' happy paths on today's code (guarded waits, windows before every change, baseline once). */
  @Test
  void recordSeedsOnTodaysCode() throws IOException {
    for (String name : List.of("batch-patches-canary", "blue-green-promotion")) {
      try (Rehearsal rehearsal = Rehearsal.open(Scenario.HAPPY)) {
        rehearsal.start(SeedPlans.load(name), Rehearsal.STARTER);
        check(rehearsal.drive().result().outcome() == Outcome.COMPLETED, name);
        write(rehearsal, name + "-guarded.json");
      }
    }
  }

  /**
   * The paths of escalation-reminders and gates-at-interval-on-hold: an approval reminded every 4h,
   * escalated at 8h and approved by its escalateTo role; a gate failing mid-bake holds at once,
   * CONTINUE, the final evaluation holds again, CONTINUE.
   */
  @Test
  void recordRemindersAndHeldGates() throws IOException {
    try (Rehearsal rehearsal = Rehearsal.open(EscalationRemindersTest.fromStart())) {
      RolloutWorkflow wf = rehearsal.start(EscalationRemindersTest.plan(), "alice");
      String wait = Poll.state(wf, RolloutState.WAITING_FOR_APPROVAL).waitingFor().id();
      rehearsal.env().sleep(Duration.ofHours(13));
      Poll.until(wf::status, s -> s.waitingFor() != null && s.waitingFor().chain().remindersSent() == 3);
      wf.approve(new Actions.Approve("dave", "devops", "covering for the PM", wait));
      check(WorkflowStub.fromTyped(wf).getResult(RolloutResult.class).outcome() == Outcome.COMPLETED, "reminders");
      write(rehearsal, "approval-reminded-escalated.json");
    }
    Scenario slow = new Scenario("slow", null, List.of(new MetricRule("p99_latency", "1500ms", null, null)),
        null, Map.of("Canary", Actions.Choice.CONTINUE), null, null);
    try (Rehearsal rehearsal = Rehearsal.open(slow)) {
      rehearsal.start(HeldGatesAtIntervalTest.heldOnFailure(), "alice");
      check(rehearsal.drive().result().outcome() == Outcome.COMPLETED, "held gates");
      write(rehearsal, "gate-held-mid-bake.json");
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) throw new AssertionError(what + " did not end as recorded");
  }

  private static void write(Rehearsal rehearsal, String name) throws IOException {
    Path file = HistoryFixtures.DIR.resolve(name);
    if (Files.exists(file)) return; // stored histories are never regenerated
    Files.writeString(file, rehearsal.client().fetchHistory(rehearsal.workflowId()).toJson(false));
  }
}
