package dev.rollout.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The scale benchmark at smoke size (CI): every rollout runs its step and is watched, single and
 * all-at-once breaches all roll back. Timings are printed, never asserted.
 */
class ScaleBenchTest {

  @Test
  void twentyRolloutsOnOneWorkerAreAllWatchedAndAllRolledBack() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ScaleBench.Report r = ScaleBench.run(new ScaleBench.Options(20, Duration.ofSeconds(10), 3),
        new PrintStream(printed, true, StandardCharsets.UTF_8));
    System.out.print(printed.toString(StandardCharsets.UTF_8));

    assertThat(r.watched()).isEqualTo(20);
    assertThat(r.checksPerSecond()).isPositive();
    assertThat(r.singleBreachToRolledBack().count()).isEqualTo(3);
    assertThat(r.allBreached()).isEqualTo(17);
    assertThat(r.allRolledBack()).isEqualTo(17);
    // Every rollback put its canary back to 0 % at the router, after its breach.
    assertThat(r.singleBreachToUndone().count()).isEqualTo(3);
    assertThat(r.singleBreachToUndone().max()).isBetween(0L, 120_000L);
    assertThat(r.allBreachToUndone().count()).isEqualTo(17);
    assertThat(r.allBreachToUndone().max()).isBetween(0L, 600_000L);
    assertThat(r.eventsPerRollout()).isPositive();
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("trigger checks/s").contains("breach -> rolled back");
  }
}
