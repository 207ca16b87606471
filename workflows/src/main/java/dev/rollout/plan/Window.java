package dev.rollout.plan;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.List;

/**
 * A recurring deployment window, e.g. "2-4 AM UTC": a phase starts only inside it.
 *
 * @param days the days of week it opens on; empty means every day
 * @param timeZone an IANA zone id; null means the plan's time zone
 */
public record Window(List<DayOfWeek> days, LocalTime start, LocalTime end, String timeZone) {
  public Window {
    days = Lists.copy(days);
  }
}
