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
    assertThat(r.eventsPerRollout()).isPositive();
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("trigger checks/s").contains("breach -> rolled back");
  }
}
