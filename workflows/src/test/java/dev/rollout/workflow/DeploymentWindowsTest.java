package dev.rollout.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Freeze;
import dev.rollout.plan.Window;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeploymentWindowsTest {
  private static final Window NIGHT = new Window(List.of(), LocalTime.of(22, 0), LocalTime.of(2, 0), "UTC");

  private static Instant at(String text) {
    return Instant.parse(text);
  }

  @Test
  void insideTheWindowStartsNow() {
    Window w = new Window(List.of(), LocalTime.of(2, 0), LocalTime.of(4, 0), "UTC");
    assertThat(DeploymentWindows.nextStart(at("2026-03-02T03:10:00Z"), w, "UTC", List.of())).isEqualTo(at("2026-03-02T03:10:00Z"));
    assertThat(DeploymentWindows.nextStart(at("2026-03-02T04:00:00Z"), w, "UTC", List.of())).isEqualTo(at("2026-03-03T02:00:00Z"));
  }

  @Test
  void aWindowOverMidnightIsOpenAfterMidnight() {
    assertThat(DeploymentWindows.nextStart(at("2026-03-02T01:00:00Z"), NIGHT, "UTC", List.of())).isEqualTo(at("2026-03-02T01:00:00Z"));
    assertThat(DeploymentWindows.nextStart(at("2026-03-02T12:00:00Z"), NIGHT, "UTC", List.of())).isEqualTo(at("2026-03-02T22:00:00Z"));
  }

  @Test
  void onlyOnTheNamedDays() {
    Window weekdays = new Window(List.of(DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY), LocalTime.of(9, 0), LocalTime.of(17, 0), "UTC");
    // Friday noon → Tuesday 09:00
    assertThat(DeploymentWindows.nextStart(at("2026-03-06T12:00:00Z"), weekdays, "UTC", List.of())).isEqualTo(at("2026-03-10T09:00:00Z"));
  }

  @Test
  void noWindowStartsNowUnlessFrozen() {
    Freeze f = new Freeze(at("2026-03-02T00:00:00Z"), at("2026-03-03T00:00:00Z"), "holiday");
    assertThat(DeploymentWindows.nextStart(at("2026-03-02T09:00:00Z"), null, "UTC", List.of(f))).isEqualTo(at("2026-03-03T00:00:00Z"));
    assertThat(DeploymentWindows.nextStart(at("2026-03-03T09:00:00Z"), null, "UTC", List.of(f))).isEqualTo(at("2026-03-03T09:00:00Z"));
  }

  private static final String LA = "America/Los_Angeles";

  private static Window la(int fromHour, int fromMinute, int toHour, int toMinute) {
    return new Window(List.of(), LocalTime.of(fromHour, fromMinute), LocalTime.of(toHour, toMinute), LA);
  }

  @Test
  void aWindowOpeningInsideTheSkippedHourOpensWhenTheClocksJump() {
    // 2026-03-08: 02:00 PST becomes 03:00 PDT (10:00 UTC); 02:30-03:30 opens at the jump
    assertThat(DeploymentWindows.nextStart(at("2026-03-08T09:00:00Z"), la(2, 30, 3, 30), "UTC", List.of()))
        .isEqualTo(at("2026-03-08T10:00:00Z"));
    assertThat(DeploymentWindows.open(at("2026-03-08T10:29:00Z"), la(2, 30, 3, 30), "UTC", List.of())).isTrue();
    assertThat(DeploymentWindows.open(at("2026-03-08T10:30:00Z"), la(2, 30, 3, 30), "UTC", List.of())).isFalse();
  }

  @Test
  void aWindowTheSkippedHourSwallowsDoesNotOpenThatDay() {
    // 02:00-02:45 does not exist on 2026-03-08 in Los Angeles: the next opening is 03-09 02:00 PDT
    assertThat(DeploymentWindows.nextStart(at("2026-03-08T09:00:00Z"), la(2, 0, 2, 45), "UTC", List.of()))
        .isEqualTo(at("2026-03-09T09:00:00Z"));
  }

  @Test
  void aWeeklyWindowTheSkippedHourSwallowsOpensTheWeekAfter() {
    // Sundays 02:00-03:00 in Berlin: 2027-03-28 has no such hour (02:00 CET becomes 03:00 CEST).
    // From the Sunday before, once its window closed, the next opening is 04-04 02:00 CEST.
    Window sundays = new Window(List.of(DayOfWeek.SUNDAY), LocalTime.of(2, 0), LocalTime.of(3, 0), "Europe/Berlin");
    assertThat(DeploymentWindows.nextStart(at("2027-03-21T02:30:00Z"), sundays, "UTC", List.of()))
        .isEqualTo(at("2027-04-04T00:00:00Z"));
    // nine days ahead, as before window-weeks-ahead, find none ("never opens": the rollout rolled back)
    assertThat(DeploymentWindows.nextStartWithin(at("2027-03-21T02:30:00Z"), sundays, "UTC", List.of(),
        DeploymentWindows.Dst.AT_JUMP, DeploymentWindows.DAYS_AHEAD_BEFORE_WEEKS)).isNull();
  }

  @Test
  void aWindowInTheRepeatedHourCountsItsFirstOccurrence() {
    // 2026-11-01: 02:00 PDT becomes 01:00 PST; 01:00-01:30 is open 08:00-08:30 UTC, not again at 09:00
    Window w = la(1, 0, 1, 30);
    assertThat(DeploymentWindows.nextStart(at("2026-11-01T07:00:00Z"), w, "UTC", List.of())).isEqualTo(at("2026-11-01T08:00:00Z"));
    assertThat(DeploymentWindows.nextStart(at("2026-11-01T08:40:00Z"), w, "UTC", List.of())).isEqualTo(at("2026-11-02T09:00:00Z"));
  }

  @Test
  void aWindowOverMidnightAcrossTheDstChangeClosesOnTheNextMorning() {
    // 22:00-04:00 from Saturday 2026-03-07 (PST) to Sunday (PDT): open 06:00 UTC to 11:00 UTC
    Window night = la(22, 0, 4, 0);
    assertThat(DeploymentWindows.open(at("2026-03-08T10:59:00Z"), night, "UTC", List.of())).isTrue();
    assertThat(DeploymentWindows.nextStart(at("2026-03-08T11:00:00Z"), night, "UTC", List.of()))
        .isEqualTo(at("2026-03-09T05:00:00Z"));
  }

  @Test
  void aRolloutThatStartedBeforeTheFixKeepsTheShiftedRule() {
    // window-dst-at-jump absent: 02:30 read as 03:30 PDT (10:30 UTC), after 03:15 closed it; a
    // rollout in flight replays exactly that (ReplayTest: window-dst-shifted.json)
    Window gap = la(2, 30, 3, 15);
    assertThat(DeploymentWindows.nextStart(at("2026-03-08T10:05:00Z"), gap, "UTC", List.of(), DeploymentWindows.Dst.SHIFTED_BY_GAP))
        .isEqualTo(at("2026-03-08T10:30:00Z"));
    assertThat(DeploymentWindows.nextStart(at("2026-03-08T10:05:00Z"), gap, "UTC", List.of(), DeploymentWindows.Dst.AT_JUMP))
        .isEqualTo(at("2026-03-08T10:05:00Z"));
    // both rules agree away from the change and in the repeated hour
    for (DeploymentWindows.Dst dst : DeploymentWindows.Dst.values()) {
      assertThat(DeploymentWindows.nextStart(at("2026-03-09T08:00:00Z"), gap, "UTC", List.of(), dst)).isEqualTo(at("2026-03-09T09:30:00Z"));
      assertThat(DeploymentWindows.nextStart(at("2026-11-01T08:40:00Z"), la(1, 0, 1, 30), "UTC", List.of(), dst))
          .isEqualTo(at("2026-11-02T09:00:00Z"));
    }
  }
}
