package dev.rollout.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.rollout.plan.Plan;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Rehearses every seed plan many times: none may hang (the ACTIVITY_UNKNOWN race left 5 of 60
 * canary rehearsals waiting forever). Each run has its own deadline and must complete. CI runs a
 * few per plan; the full proof of the issue is
 *
 * <pre>
 * nice mvn -o -B -pl rehearsal -am test -Dsurefire.failIfNoSpecifiedTests=false -Dtest=RehearsalHangStressTest -Dstress.count=200 -Dstress.canary=1000
 * </pre>
 */
class RehearsalHangStressTest {
  static final List<String> PLANS = SeedPlans.NAMES;
  private static final int COUNT = Integer.getInteger("stress.count", 4);
  private static final int CANARY = Integer.getInteger("stress.canary", 12);
  /** A rehearsal of the longest seed takes a few seconds on a loaded machine; a hang takes forever. */
  private static final Duration PER_RUN = Duration.ofSeconds(Long.getLong("stress.perRunSeconds", 150));

  @ParameterizedTest
  @FieldSource("PLANS")
  void everyRehearsalEnds(String name) {
    Plan plan = SeedPlans.load(name);
    int runs = name.equals("batch-patches-canary") ? CANARY : COUNT;
    long started = System.nanoTime();
    for (int i = 1; i <= runs; i++) {
      int run = i;
      RehearsalResult r = assertTimeoutPreemptively(PER_RUN, () -> Rehearsal.run(plan, Scenario.HAPPY),
          () -> "rehearsal " + run + " of " + name + " did not end within " + PER_RUN);
      assertThat(r.stuck()).as("rehearsal %d of %s", run, name).isNull();
      assertThat(r.result().outcome()).as("rehearsal %d of %s", run, name).isEqualTo(Outcome.COMPLETED);
    }
    System.out.printf("stress: %d rehearsals of %s in %d ms%n", runs, name,
        Duration.ofNanos(System.nanoTime() - started).toMillis());
  }
}
