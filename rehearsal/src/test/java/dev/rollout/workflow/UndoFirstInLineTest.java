package dev.rollout.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Undos are scheduled first in line (priority key 1), steps and reads at the default: when a
 * whole fleet rolls back at once, the server's backlog hands out the undos — traffic back to
 * stable — before anything that goes forward.
 */
class UndoFirstInLineTest {

  @Test
  void everyUndoOfARollbackIsScheduledFirstInLineAndNoStepIs() {
    List<ActivityTaskScheduledEventAttributes> scheduled;
    RehearsalResult r;
    try (Rehearsal rehearsal = Rehearsal.open(RollbackScenariosTest.errorsFrom("Phase 3", null))) {
      rehearsal.start(TestPlans.sevenDays(), Rehearsal.STARTER);
      r = rehearsal.drive();
      scheduled = rehearsal.client().fetchHistory(rehearsal.workflowId()).getEvents().stream()
          .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
          .map(HistoryEvent::getActivityTaskScheduledEventAttributes)
          .toList();
    }
    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);

    // The rollback's four undos (traffic to stable, then three flags), in the order they ran.
    List<String> firstInLine = scheduled.stream()
        .filter(a -> a.getPriority().getPriorityKey() == ActivityStubs.UNDO_PRIORITY_KEY)
        .map(a -> a.getActivityType().getName())
        .toList();
    assertThat(firstInLine).containsExactly("SetWeight", "SetFlags", "SetFlags", "SetFlags");
    // Everything before the first undo went forward (or read, watched, told): none of it jumps the line.
    int firstUndo = scheduled.indexOf(scheduled.stream()
        .filter(a -> a.getPriority().getPriorityKey() == ActivityStubs.UNDO_PRIORITY_KEY).findFirst().orElseThrow());
    assertThat(scheduled.subList(0, firstUndo))
        .isNotEmpty()
        .allSatisfy(a -> assertThat(a.hasPriority()).as(a.getActivityType().getName()).isFalse());
  }
}
