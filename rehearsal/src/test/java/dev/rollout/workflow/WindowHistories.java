package dev.rollout.workflow;

import static dev.rollout.workflow.PhaseBuilder.phase;

import dev.rollout.plan.Plan;
import dev.rollout.plan.Window;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records rollouts whose window opens inside the hour skipped by a DST change (Los Angeles,
 * 2026-03-08: 02:00 PST becomes 03:00 PDT at 10:00 UTC), into NEW files only. The same plans were
 * recorded on three generations of the workflow code, which is the point: each generation computed
 * that window differently, and {@link ReplayTest} replays all of them.
 *
 * <ul>
 *   <li>{@code window-dst-shifted.json}: recorded on the code before the DST fix (commit 84cf263^):
 *       02:30 was read as 03:30 PDT, so the phase waited until 03:30, after its window had closed.
 *   <li>{@code window-dst-unguarded.json}: recorded on the code with the DST fix but no getVersion
 *       (commit df8eedb): the second phase's window, computed after its first step, opened at the jump.
 *   <li>{@code window-dst-at-jump.json}: today's code, behind {@code window-dst-at-jump}.
 * </ul>
 *
 * <p>And a weekly window a DST change swallows (Sundays 02:00-03:00 Europe/Berlin; 2027-03-28 has
 * no such hour), started the Monday before: {@code window-weeks-rolled-back.json} recorded on the
 * code before {@code window-weeks-ahead} (commit 0ba36ef: nine days ahead held no opening, the
 * rollout rolled back, "never opens"); {@code window-weeks-ahead.json} on today's code (its
 * {@code window-weeks-ahead} marker, then a timer to 2027-04-04).
 *
 * <pre>
 * mvn -B -o -pl rehearsal -am test -Dtest=WindowHistories#... -Dhistories.recordNew=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfSystemProperty(named = "histories.recordNew", matches = "true")
class WindowHistories {
  /** 02:30-03:15 in Los Angeles: on 2026-03-08 its opening (02:30) does not exist. */
  static final Window GAP = new Window(List.of(), LocalTime.of(2, 30), LocalTime.of(3, 15), "America/Los_Angeles");

  /** One phase in the gap window, started at 03:05 PDT: inside the window as it really is. */
  static Plan oneWindowedPhase() {
    return TestPlans.plan("dst", List.of(), phase("Canary").window(GAP).steps(TestPlans.traffic(10)).build());
  }

  /** A first phase without window; the second, in the gap window, starts at 03:05 PDT. */
  static Plan windowedSecondPhase() {
    return TestPlans.plan("dst2", List.of(),
        phase("Canary").steps(TestPlans.traffic(10)).bake(Duration.ofMinutes(5)).build(),
        phase("Everyone").window(GAP).steps(TestPlans.traffic(100)).build());
  }

  /** Sundays 02:00-03:00 in Berlin: on 2027-03-28 the clocks jump from 02:00 to 03:00. */
  static final Window SUNDAYS_IN_BERLIN =
      new Window(List.of(DayOfWeek.SUNDAY), LocalTime.of(2, 0), LocalTime.of(3, 0), "Europe/Berlin");

  static Plan sundaysInBerlin() {
    return TestPlans.plan("sundays", List.of(), phase("Canary").window(SUNDAYS_IN_BERLIN).steps(TestPlans.traffic(10)).build());
  }

  static Scenario from(String start) {
    return new Scenario("from " + start, Instant.parse(start), null, null, null, null, null);
  }

  @Test
  void recordShifted() throws IOException {
    record(oneWindowedPhase(), "2026-03-08T10:05:00Z", "window-dst-shifted.json");
  }

  @Test
  void recordUnguarded() throws IOException {
    record(windowedSecondPhase(), "2026-03-08T10:00:00Z", "window-dst-unguarded.json");
  }

  @Test
  void recordAtJump() throws IOException {
    record(oneWindowedPhase(), "2026-03-08T10:05:00Z", "window-dst-at-jump.json");
  }

  @Test
  void recordWeeksRolledBack() throws IOException {
    record(sundaysInBerlin(), "2027-03-22T09:00:00Z", "window-weeks-rolled-back.json", Outcome.ROLLED_BACK);
  }

  @Test
  void recordWeeksAhead() throws IOException {
    record(sundaysInBerlin(), "2027-03-22T09:00:00Z", "window-weeks-ahead.json", Outcome.COMPLETED);
  }

  private static void record(Plan plan, String start, String name) throws IOException {
    record(plan, start, name, Outcome.COMPLETED);
  }

  private static void record(Plan plan, String start, String name, Outcome expected) throws IOException {
    Path file = HistoryFixtures.DIR.resolve(name);
    if (Files.exists(file)) throw new AssertionError(file + " exists; stored histories are never overwritten");
    try (Rehearsal rehearsal = Rehearsal.open(from(start))) {
      rehearsal.start(plan, "alice");
      if (rehearsal.drive().result().outcome() != expected) throw new AssertionError(name + " did not end " + expected);
      Files.writeString(file, rehearsal.client().fetchHistory(rehearsal.workflowId()).toJson(false));
    }
  }
}
