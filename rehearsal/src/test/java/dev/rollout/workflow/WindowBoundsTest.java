package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Freeze;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Plans;
import dev.rollout.plan.Window;
import dev.rollout.rehearsal.Call;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.Scenario;
import io.temporal.client.WorkflowStub;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A step that changes something runs only inside its phase's window and outside its freezes. */
class WindowBoundsTest {
  private static final Window TWO_TO_FOUR = new Window(List.of(), LocalTime.of(2, 0), LocalTime.of(4, 0), "UTC");

  private static Scenario from(String start) {
    return new Scenario("from " + start, Instant.parse(start), null, null, null, null, null);
  }

  private static Instant firstChange(Rehearsal rehearsal, String brief) {
    return rehearsal.world().calls().stream().filter(c -> c.brief().equals(brief)).map(Call::at).findFirst().orElseThrow();
  }

  @Test
  void anApprovalGivenAfterTheWindowClosedWaitsForTheNextOpening() {
    Plan plan = TestPlans.plan("late", List.of(),
        phase("Canary").window(TWO_TO_FOUR).entry(TestPlans.approval(1, "devops")).steps(TestPlans.traffic(10)).build());
    try (Rehearsal rehearsal = Rehearsal.open(from("2026-03-02T01:00:00Z"))) {
      RolloutWorkflow wf = rehearsal.start(plan, "alice");
      rehearsal.env().sleep(Duration.ofHours(1).plusMinutes(1));
      String wait = Poll.state(wf, RolloutState.WAITING_FOR_APPROVAL).waitingFor().id();
      rehearsal.env().sleep(Duration.ofHours(4)); // approved at 06:00, two hours after the window closed
      wf.approve(new Actions.Approve("bob", "devops", "late", wait));

      RolloutStatus waiting = Poll.state(wf, RolloutState.WAITING_FOR_WINDOW);
      assertThat(waiting.windowOpensAt()).isEqualTo(Instant.parse("2026-03-03T02:00:00Z"));
      assertThat(WorkflowStub.fromTyped(wf).getResult(RolloutResult.class).outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(firstChange(rehearsal, "traffic.setWeight(main 10%)"))
          .isBetween(Instant.parse("2026-03-03T02:00:00Z"), Instant.parse("2026-03-03T02:01:00Z"));
    }
  }

  @Test
  void aStepAfterALongBakeWaitsOutTheWindowAndAFreeze() {
    Freeze holiday = new Freeze(Instant.parse("2026-03-03T00:00:00Z"), Instant.parse("2026-03-04T00:00:00Z"), "holiday");
    Plan plan = TestPlans.plan("bounded", List.of(),
        phase("Canary").window(TWO_TO_FOUR).freeze(holiday)
            .steps(TestPlans.traffic(10), TestPlans.bake(Duration.ofHours(5)), TestPlans.traffic(50)).build());
    try (Rehearsal rehearsal = Rehearsal.open(from("2026-03-02T01:00:00Z"))) {
      RolloutWorkflow wf = rehearsal.start(plan, "alice");
      assertThat(WorkflowStub.fromTyped(wf).getResult(RolloutResult.class).outcome()).isEqualTo(Outcome.COMPLETED);
      assertThat(firstChange(rehearsal, "traffic.setWeight(main 10%)"))
          .isBetween(Instant.parse("2026-03-02T02:00:00Z"), Instant.parse("2026-03-02T02:01:00Z"));
      // the bake ends at 07:00, outside the window; 03-03 is frozen: the next change is 03-04 02:00
      assertThat(firstChange(rehearsal, "traffic.setWeight(main 50%)"))
          .isBetween(Instant.parse("2026-03-04T02:00:00Z"), Instant.parse("2026-03-04T02:01:00Z"));
    }
  }

  /** The traffic change of a one-phase plan in {@code window}, rehearsed from {@code start}. */
  private static Instant changeAt(Window window, String start) {
    Plan plan = TestPlans.plan("dst", List.of(), phase("Canary").window(window).steps(TestPlans.traffic(10)).build());
    try (Rehearsal rehearsal = Rehearsal.open(from(start))) {
      RolloutWorkflow wf = rehearsal.start(plan, "alice");
      assertThat(WorkflowStub.fromTyped(wf).getResult(RolloutResult.class).outcome()).isEqualTo(Outcome.COMPLETED);
      return firstChange(rehearsal, "traffic.setWeight(main 10%)");
    }
  }

  @Test
  void aWindowOpeningInTheSkippedHourOpensAtTheJumpAndTheStepRunsBeforeItCloses() {
    // Los Angeles 2026-03-08: 02:00 PST becomes 03:00 PDT at 10:00 UTC; 02:30-03:15 is 10:00-10:15 UTC
    assertThat(changeAt(WindowHistories.GAP, "2026-03-08T09:00:00Z"))
        .isBetween(Instant.parse("2026-03-08T10:00:00Z"), Instant.parse("2026-03-08T10:01:00Z"));
    // started inside what is left of it: runs at once, not at 03:30 PDT (after it closed)
    assertThat(changeAt(WindowHistories.GAP, "2026-03-08T10:05:00Z"))
        .isBetween(Instant.parse("2026-03-08T10:05:00Z"), Instant.parse("2026-03-08T10:06:00Z"));
  }

  @Test
  void aWeeklyWindowADstChangeSwallowsOpensTheWeekAfterInsteadOfRollingBack() {
    // Sundays 02:00-03:00 in Berlin: 2027-03-28 has no such hour (02:00 CET becomes 03:00 CEST).
    // Started the Monday before, the rollout looked nine days ahead, found no opening and rolled back.
    Window sundays = new Window(List.of(DayOfWeek.SUNDAY), LocalTime.of(2, 0), LocalTime.of(3, 0), "Europe/Berlin");
    assertThat(changeAt(sundays, "2027-03-22T09:00:00Z"))
        .isBetween(Instant.parse("2027-04-04T00:00:00Z"), Instant.parse("2027-04-04T00:01:00Z"));
  }

  @Test
  void aWindowInTheRepeatedHourIsOpenOnceThatNight() {
    // Los Angeles 2026-11-01: 01:00-01:30 PDT is 08:00-08:30 UTC; 01:00 comes again (PST) at 09:00 UTC
    Window w = new Window(List.of(), LocalTime.of(1, 0), LocalTime.of(1, 30), "America/Los_Angeles");
    assertThat(changeAt(w, "2026-11-01T08:40:00Z")).isBetween(Instant.parse("2026-11-02T09:00:00Z"), Instant.parse("2026-11-02T09:01:00Z"));
  }

  @Test
  void aWindowOverMidnightIsAValidPlan() {
    String yaml = """
        name: night
        targets: [{service: shop, environment: production}]
        roles: [DevOps]
        resources:
          routers:
            edge: {type: proxy, adminUrl: "http://127.0.0.1:9000"}
          notifiers:
            log: {type: log}
        phases:
          - name: canary
            window: {start: "22:00", end: "02:00", timeZone: UTC}
            steps:
              - {kind: traffic, router: edge, percent: 10}
        """;
    assertThat(Plans.parse(yaml, "night.yaml").phases().get(0).window().end()).isEqualTo(LocalTime.of(2, 0));
  }
}
