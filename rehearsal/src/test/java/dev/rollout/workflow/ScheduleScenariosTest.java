package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Freeze;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Window;
import dev.rollout.rehearsal.Call;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deployment windows and freezes, on workflow time. */
class ScheduleScenariosTest {
  private static final Instant MONDAY_9AM = Instant.parse("2026-03-02T09:00:00Z");
  private static final Window TWO_TO_FOUR_UTC = new Window(List.of(), LocalTime.of(2, 0), LocalTime.of(4, 0), "UTC");

  private static Scenario startingAt(Instant start) {
    return new Scenario("from " + start, start, null, null, null, null, null);
  }

  private static Instant timeOf(RehearsalResult r, String brief) {
    return r.calls().stream().filter(c -> c.brief().equals(brief)).map(Call::at).findFirst().orElseThrow();
  }

  @Test
  void aWindowMakesThePhaseStartAtTheNextTwoAmUtc() {
    Plan plan = TestPlans.plan("api", List.of(),
        phase("Canary").steps(TestPlans.traffic(10)).bake(Duration.ofHours(1)).build(),
        phase("API").window(TWO_TO_FOUR_UTC).steps(TestPlans.traffic(50)).build());

    RehearsalResult r = Rehearsal.run(plan, startingAt(MONDAY_9AM));

    assertThat(r.result().outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(timeOf(r, "traffic.setWeight(main 50%)"))
        .isBetween(Instant.parse("2026-03-03T02:00:00Z"), Instant.parse("2026-03-03T02:01:00Z"));
  }

  @Test
  void aWindowInThePlansZoneOpensAtLocalTime() {
    Window twoAmLocal = new Window(List.of(), LocalTime.of(2, 0), LocalTime.of(4, 0), null);
    Plan utc = TestPlans.plan("api", List.of(), phase("API").window(twoAmLocal).steps(TestPlans.traffic(50)).build());
    Plan berlin = new Plan(utc.apiVersion(), utc.name(), utc.version(), null, utc.targets(), "Europe/Berlin",
        utc.roles(), utc.resources(), utc.metrics(), utc.triggers(), utc.phases(), utc.notifications());

    RehearsalResult r = Rehearsal.run(berlin, startingAt(MONDAY_9AM));

    // 02:00 in Berlin (CET, UTC+1) on Tuesday
    assertThat(timeOf(r, "traffic.setWeight(main 50%)"))
        .isBetween(Instant.parse("2026-03-03T01:00:00Z"), Instant.parse("2026-03-03T01:01:00Z"));
  }

  @Test
  void aFreezeOverTheNextWindowIsWaitedOut() {
    Freeze releaseFreeze = new Freeze(Instant.parse("2026-03-03T00:00:00Z"), Instant.parse("2026-03-05T00:00:00Z"), "release freeze");
    Plan plan = TestPlans.plan("api", List.of(),
        phase("API").window(TWO_TO_FOUR_UTC).freeze(releaseFreeze).steps(TestPlans.traffic(50)).build());

    RehearsalResult r = Rehearsal.run(plan, startingAt(MONDAY_9AM));

    assertThat(timeOf(r, "traffic.setWeight(main 50%)"))
        .isBetween(Instant.parse("2026-03-05T02:00:00Z"), Instant.parse("2026-03-05T02:01:00Z"));
  }
}
