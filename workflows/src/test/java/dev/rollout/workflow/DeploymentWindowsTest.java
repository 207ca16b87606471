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
}
