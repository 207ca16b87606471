package dev.rollout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Plan;
import dev.rollout.plan.Plans;
import dev.rollout.rehearsal.Call;
import dev.rollout.server.TestPlans;
import dev.rollout.workflow.Decision;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rehearsal timeline places each line by the data decisions and calls carry, not by their wording. */
class RehearsalTimelineTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private final Plan plan = Plans.parse(TestPlans.approvalPlan("timeline", "1h"), "timeline.yaml");

  @Test
  void aDecisionBelongsToThePhaseItCarriesWhateverItSays() {
    List<RehearsalTimeline.Entry> entries = RehearsalTimeline.of(plan, List.of(), List.of(
        new Decision(T0, "bob (sre)", "approved the canary", null, 0, "run/w1/p1/entry-approval", false),
        new Decision(T0.plusSeconds(60), "system", "a line naming no phase", null, 1, null, false),
        new Decision(T0.plusSeconds(120), "system", "undo u1 done", null, 1, null, true)));

    assertThat(entries).extracting(RehearsalTimeline.Entry::phase).containsExactly("canary", "full", "rollback");
  }

  @Test
  void aCallIsMatchedToItsStepByTheRouterItActsOnNotByItsArgumentText() {
    List<RehearsalTimeline.Entry> entries = RehearsalTimeline.of(plan, List.of(
        new Call("traffic", "setWeight", "timeline-edge", "10% (args worded any way)", T0, 1, null),
        new Call("traffic", "setWeight", "timeline-edge", "100%", T0.plusSeconds(3600), 1, null),
        new Call("traffic", "setWeight", "another-edge", "timeline-edge 5%", T0.plusSeconds(3601), 1, null)),
        List.of());

    assertThat(entries).extracting(RehearsalTimeline.Entry::phase).containsExactly("canary", "full", "full");
  }

  @Test
  void quietWatchesOfOneBakeShowAsOneLine() {
    List<RehearsalTimeline.Entry> entries = RehearsalTimeline.of(plan, List.of(
        new Call("metrics", "watch", "1 trigger(s) for 1d", T0, 1, null),
        new Call("metrics", "watch", "1 trigger(s) for 1d", T0.plusSeconds(86_400), 1, null),
        new Call("metrics", "watch", "1 trigger(s) for 1d", T0.plusSeconds(172_800), 1, null)),
        List.of());

    assertThat(entries).extracting(RehearsalTimeline.Entry::what).containsExactly("metrics.watch(1 trigger(s) for 1d) ×3");
  }
}
