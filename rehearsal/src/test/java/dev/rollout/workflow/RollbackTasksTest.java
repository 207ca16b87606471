package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Comparison;
import dev.rollout.plan.Plan;
import dev.rollout.plan.RollbackScope;
import dev.rollout.plan.Target;
import dev.rollout.rehearsal.Call;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RecordingNotifications;
import dev.rollout.rehearsal.RecordingTraffic;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.RehearsalWorld;
import dev.rollout.rehearsal.Scenario;
import dev.rollout.rehearsal.Scenario.CallRule;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowStub;
import io.temporal.api.common.v1.WorkflowExecution;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A rollback costs as few workflow tasks as it safely can (at ten thousand rollouts every task is
 * a full replay): the "rolling back" notification goes out with the first undo
 * ({@value Rollback#NOTICE_ALONGSIDE_UNDO}), so a notifier that is down never holds an undo back,
 * and the target locks are signalled by the worker in the rollout's last task ({@value
 * TargetLocks#RELEASED_BY_WORKER}), still ended before the rollout closes so the next rollout of the
 * targets starts.
 */
class RollbackTasksTest {

  static Plan canary() {
    return TestPlans.plan("api", List.of(TestPlans.gate("error_rate", Comparison.GT, "5%")),
        phase("Canary").steps(TestPlans.traffic(10)).bake(Duration.ofHours(2)).build());
  }

  @Test
  void aNotifierThatIsDownDoesNotHoldTheUndoBackAndIsStillTriedEveryAttempt() {
    CallRule pagerDown = new CallRule("notification", "notify", 0, "rolling back", "pager down");
    RehearsalResult r = Rehearsal.run(canary(), RollbackScenariosTest.errorsFrom("Canary", List.of(pagerDown)));

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.changes()).endsWith("traffic.setWeight(main 0%)");
    List<Call> notices = r.calls().stream()
        .filter(c -> c.method().equals("notify") && c.args().contains("rolling back")).toList();
    assertThat(notices).as("the notification is tried on every attempt").hasSize(3).allMatch(Call::failed);
    Call undo = r.calls().stream().filter(c -> c.brief().equals("traffic.setWeight(main 0%)")).findFirst().orElseThrow();
    assertThat(undo.at()).as("the undo ran before the notifier's retries were over, not after them")
        .isBefore(notices.get(notices.size() - 1).at());
  }

  @Test
  void theRollingBackNotificationAndTheFirstUndoAreScheduledInOneWorkflowTask() {
    try (Rehearsal rehearsal = Rehearsal.open(RollbackScenariosTest.errorsFrom("Canary", null))) {
      rehearsal.start(canary(), "alice");
      assertThat(rehearsal.drive().result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
      List<HistoryEvent> events = rehearsal.client().fetchHistory(rehearsal.workflowId()).getEvents();

      HistoryEvent notice = events.stream()
          .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
          .filter(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals("Notify"))
          .filter(e -> e.getActivityTaskScheduledEventAttributes().getInput().toString().contains("rolling back"))
          .findFirst().orElseThrow();
      HistoryEvent undo = events.stream()
          .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
          .filter(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals("SetWeight"))
          .reduce((first, second) -> second).orElseThrow();
      assertThat(task(events, undo)).isEqualTo(task(events, notice));
    }
  }

  @Test
  void onTheTestServerTheWorkerEndsEveryLockAndTheRolloutClosesInThatTaskAndTheNextRolloutStarts() {
    // rollbackScope: all, so that the next rollout finds every target back at stable.
    Plan promotion = PhaseTargetsTest.promotion(RollbackScope.ALL);
    assertThat(promotion.targets()).hasSizeGreaterThan(1);
    try (Rehearsal rehearsal = Rehearsal.open(PhaseTargetsTest.errorsFrom("Production"))) {
      rehearsal.start(promotion, "alice");
      assertThat(rehearsal.drive().result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
      List<HistoryEvent> events = rehearsal.client().fetchHistory(rehearsal.workflowId()).getEvents();

      // The worker terminates the locks in the rollout's last task (a local activity): no signal,
      // no lock's end to wait for, so that same task closes the rollout.
      assertThat(events).noneMatch(e -> e.getEventType() == EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED);
      assertThat(events).noneMatch(e -> e.getEventType() == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED);
      assertThat(events).noneMatch(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
      HistoryEvent ending = events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED
          && e.getMarkerRecordedEventAttributes().getMarkerName().equals("LocalActivity"))
          .reduce((first, second) -> second).orElseThrow();
      HistoryEvent closed = events.get(events.size() - 1);
      assertThat(closed.getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
      assertThat(task(events, closed)).as("the locks' end and the rollout's close in one task").isEqualTo(task(events, ending));

      for (Target t : promotion.targets()) {
        assertThat(lockStatus(rehearsal.client(), t)).as("lock of " + t.key())
            .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
      }
      rehearsal.start(promotion, "bob");
      RehearsalResult next = rehearsal.drive();
      assertThat(next.result().outcome()).as("the next rollout of the same targets is not refused")
          .isEqualTo(Outcome.ROLLED_BACK);
      assertThat(next.status().startedBy()).isEqualTo("bob");
    }
  }

  @Test
  void onAClusterTheWorkerSignalsTheLocksAndTheRolloutClosesOnlyOnceEveryLockHasEnded() {
    Plan plan = oneStep();
    try (RolloutTestEnvironment rollouts = workerWith(TargetLockReleaseImpl.onCluster())) {
      RolloutWorkflow wf = rollouts.begin(plan);
      assertThat(WorkflowStub.fromTyped(wf).getResult(RolloutResult.class).outcome()).isEqualTo(Outcome.COMPLETED);
      List<HistoryEvent> events = rollouts.client().fetchHistory(RolloutIds.forPlan(plan)).getEvents();

      assertThat(events).noneMatch(e -> e.getEventType() == EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED);
      assertThat(events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED))
          .as("the rollout closes only once its lock has ended").hasSize(plan.targets().size());
      for (Target t : plan.targets()) {
        assertThat(lockStatus(rollouts.client(), t)).as("lock of " + t.key())
            .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
      }
    }
  }

  @Test
  void aLockReleaseThatFailsOnTheWorkerFallsBackToSignallingTheLocksFromTheWorkflow() {
    Plan plan = oneStep();
    try (RolloutTestEnvironment rollouts = workerWith(new FailingRelease())) {
      RolloutWorkflow wf = rollouts.begin(plan);
      assertThat(WorkflowStub.fromTyped(wf).getResult(RolloutResult.class).outcome()).isEqualTo(Outcome.COMPLETED);
      List<HistoryEvent> events = rollouts.client().fetchHistory(RolloutIds.forPlan(plan)).getEvents();

      HistoryEvent signal = events.stream()
          .filter(e -> e.getEventType() == EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED)
          .findFirst().orElseThrow();
      HistoryEvent timer = events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_TIMER_STARTED)
          .reduce((first, second) -> second).orElseThrow();
      assertThat(task(events, timer)).as("the signal and the wait for the lock's end in one task")
          .isEqualTo(task(events, signal));
      assertThat(lockStatus(rollouts.client(), plan.targets().get(0)))
          .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    }
  }

  /** A one-phase plan of one traffic step, no gates. */
  static Plan oneStep() {
    return TestPlans.plan("api", List.of(), phase("Canary").steps(TestPlans.traffic(10)).build());
  }

  /** A worker on the test server whose lock release is {@code release}, with recording traffic and notifications. */
  static RolloutTestEnvironment workerWith(TargetLockRelease release) {
    RehearsalWorld world = new RehearsalWorld(Scenario.HAPPY);
    return RolloutTestEnvironment.builder().withoutLockRelease()
        .activities(release, new RecordingTraffic(world), new RecordingNotifications(world)).start();
  }

  /** A worker whose release cannot reach the server. */
  static final class FailingRelease implements TargetLockRelease {
    @Override
    public void release(List<LockRun> locks) {
      throw new IllegalStateException("frontend unreachable");
    }

    @Override
    public Ending end(List<LockRun> locks) {
      throw new IllegalStateException("frontend unreachable");
    }

    @Override
    public List<String> endHeldBy(LockRun holder, List<String> lockIds) {
      throw new IllegalStateException("frontend unreachable");
    }
  }

  static WorkflowExecutionStatus lockStatus(io.temporal.client.WorkflowClient client, Target t) {
    return client.getWorkflowServiceStubs().blockingStub()
        .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
            .setNamespace(client.getOptions().getNamespace())
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(RolloutIds.lockId(t)))
            .build())
        .getWorkflowExecutionInfo().getStatus();
  }

  /** The workflow task whose completion issued {@code command}: how many tasks completed before it. */
  static long task(List<HistoryEvent> events, HistoryEvent command) {
    List<HistoryEvent> before = new ArrayList<>(events.subList(0, events.indexOf(command)));
    return before.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).count();
  }
}
