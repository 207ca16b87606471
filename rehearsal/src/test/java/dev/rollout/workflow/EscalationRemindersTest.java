package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Approval;
import dev.rollout.plan.Plan;
import dev.rollout.plan.TimeoutAction;
import dev.rollout.rehearsal.Call;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.Scenario;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Escalation that works ({@value Changes#ESCALATION_REMINDERS}): reminders on the plan's
 * {@code remindEvery}, the deadline chain in the status, and the {@code escalateTo} roles approving
 * after the deadline.
 */
class EscalationRemindersTest {
  static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

  /** product-manager must approve within 8h, else devops may too; reminded every 4h. */
  static Plan plan() {
    Approval goNoGo = new Approval(List.of("product-manager"), 1, Duration.ofHours(8), TimeoutAction.ESCALATE,
        List.of("devops"), null, Duration.ofHours(4));
    return TestPlans.plan("reminded", List.of(), phase("Everyone").entry(goNoGo).steps(TestPlans.traffic(100)).build());
  }

  static Scenario fromStart() {
    return new Scenario("from " + START, START, null, null, null, null, null);
  }

  private static List<Call> reminders(Rehearsal rehearsal) {
    return rehearsal.world().calls().stream().filter(c -> c.brief().contains("reminder ")).toList();
  }

  @Test
  void remindersGoOutOnThePlansScheduleAndTheChainIsShownUntilEscalateToApproves() {
    try (Rehearsal rehearsal = Rehearsal.open(fromStart())) {
      RolloutWorkflow wf = rehearsal.start(plan(), "alice");
      RolloutStatus.WaitingFor asked = Poll.state(wf, RolloutState.WAITING_FOR_APPROVAL).waitingFor();
      Instant opened = asked.chain().openedAt();
      assertThat(opened).isBetween(START, START.plusSeconds(60));
      assertThat(asked.chain().deadline()).isEqualTo(opened.plus(Duration.ofHours(8)));
      assertThat(asked.chain().nextReminderAt()).isEqualTo(opened.plus(Duration.ofHours(4)));
      assertThat(asked.chain().escalatedTo()).isEmpty();

      // 9h: reminded at 4h and 8h, escalated at 8h
      rehearsal.env().sleep(Duration.ofHours(9));
      RolloutStatus.WaitingFor escalated = Poll.until(wf::status,
          s -> s.waitingFor() != null && s.waitingFor().chain().remindersSent() == 2).waitingFor();
      assertThat(escalated.chain().deadline()).isEqualTo(opened.plus(Duration.ofHours(8)));
      assertThat(escalated.chain().escalatedTo()).containsExactly("devops");
      assertThat(escalated.chain().escalatedAt()).isBetween(opened.plus(Duration.ofHours(8)), opened.plus(Duration.ofHours(8).plusMinutes(2)));
      assertThat(escalated.chain().nextReminderAt()).isEqualTo(opened.plus(Duration.ofHours(12)));
      assertThat(escalated.roles()).containsExactly("product-manager", "devops");
      assertThat(escalated.id()).isEqualTo(asked.id());

      // 21h: and at 12h, 16h and 20h; never more often than the schedule
      rehearsal.env().sleep(Duration.ofHours(12));
      Poll.until(wf::status, s -> s.waitingFor() != null && s.waitingFor().chain().remindersSent() == 5);
      List<Call> sent = reminders(rehearsal);
      assertThat(sent).hasSize(5);
      for (int k = 0; k < 5; k++) {
        Instant due = opened.plus(Duration.ofHours(4L * (k + 1)));
        assertThat(sent.get(k).at()).as("reminder " + (k + 1)).isBetween(due, due.plus(Duration.ofMinutes(2)));
        assertThat(sent.get(k).args()).contains("reminder " + (k + 1) + ": approval wanted");
      }
      assertThat(rehearsal.world().calls()).filteredOn(c -> c.brief().contains("approval overdue")).hasSize(1);

      // the escalateTo role approves the same wait: counted, the rollout goes on, no more reminders
      wf.approve(new Actions.Approve("dave", "devops", "covering for the PM", asked.id()));
      RolloutResult result = WorkflowStub.fromTyped(wf).getResult(RolloutResult.class);
      assertThat(result.outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(result.decisions()).extracting(Decision::who).contains("dave (devops)");
      assertThat(reminders(rehearsal)).hasSize(5);
    }
  }

  @Test
  void anApprovalGivenBeforeTheFirstReminderSendsNone() {
    try (Rehearsal rehearsal = Rehearsal.open(fromStart())) {
      RolloutWorkflow wf = rehearsal.start(plan(), "alice");
      RolloutStatus.WaitingFor asked = Poll.state(wf, RolloutState.WAITING_FOR_APPROVAL).waitingFor();
      rehearsal.env().sleep(Duration.ofHours(3));
      wf.approve(new Actions.Approve("pat", "product-manager", "go", asked.id()));
      assertThat(WorkflowStub.fromTyped(wf).getResult(RolloutResult.class).outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(reminders(rehearsal)).isEmpty();
    }
  }
}
