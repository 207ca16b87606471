package dev.rollout.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A person's answer is written into the rollout's history with its reply: the reply must not grow
 * with the rollout (it was the whole status, up to 80 KB, 52 times in a canary rehearsal), and in a
 * rehearsal an answer must cost no simulated time (it cost a second each).
 */
class BriefAnswersTest {

  @Test
  void everyAnswerInACanaryRehearsalIsRepliedInBriefAndCostsNoSimulatedTime() {
    try (Rehearsal rehearsal = Rehearsal.open(Scenario.HAPPY)) {
      rehearsal.start(SeedPlans.load("batch-patches-canary"), Rehearsal.STARTER);
      RehearsalResult result = rehearsal.drive();
      assertThat(result.result()).as(result.stuck()).isNotNull();
      assertThat(result.result().outcome()).isEqualTo(Outcome.COMPLETED);
      List<HistoryEvent> events = rehearsal.client().fetchHistory(rehearsal.workflowId()).getHistory().getEventsList();

      List<HistoryEvent> replies = events.stream()
          .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED).toList();
      assertThat(replies).as("the people's approvals and confirmations").hasSizeGreaterThanOrEqualTo(50);
      assertThat(replies).allSatisfy(e -> assertThat(e.getSerializedSize())
          .as("an Update's reply in history, in bytes").isLessThan(4_096));

      // Checklist items confirmed one after another, with no step run and no timer fired between
      // them (the trigger watch re-armed at each wait is no step), are
      // confirmed within moments of each other: the people answer the next item at once. (The
      // test server's clock runs in real time while the rollout works: tens of milliseconds
      // here; a second each when the people let one tick pass after every answer.)
      List<Long> gapsMillis = new ArrayList<>();
      HistoryEvent previous = null;
      for (HistoryEvent e : events) {
        EventType type = e.getEventType();
        boolean step = type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
            && !e.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals("Watch");
        if (step || type == EventType.EVENT_TYPE_TIMER_FIRED) {
          previous = null;
        } else if (type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED
            && e.getWorkflowExecutionUpdateAcceptedEventAttributes().getAcceptedRequest().getInput().getName().equals("confirm")) {
          if (previous != null) gapsMillis.add(millis(e) - millis(previous));
          previous = e;
        }
      }
      assertThat(gapsMillis).as("confirmations back to back in wave 1's checklist").hasSizeGreaterThanOrEqualTo(20);
      assertThat(gapsMillis).as("simulated ms between consecutive confirmations").allMatch(gap -> gap < 1_000);
    }
  }

  private static long millis(HistoryEvent e) {
    return e.getEventTime().getSeconds() * 1000 + e.getEventTime().getNanos() / 1_000_000;
  }
}
