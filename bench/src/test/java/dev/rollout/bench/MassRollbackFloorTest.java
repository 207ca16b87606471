package dev.rollout.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The mass-rollback floor at smoke size (CI): every bare workflow runs its step, is watched, and
 * after all watches complete at once undoes its step at the router and closes. Timings are
 * printed, never asserted.
 */
class MassRollbackFloorTest {

  @Test
  void twentyBareWorkflowsAllUndoAndCloseWhenTheirWatchesCompleteAtOnce() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    MassRollbackFloor.Report r = MassRollbackFloor.run(20, new PrintStream(printed, true, StandardCharsets.UTF_8));
    System.out.print(printed.toString(StandardCharsets.UTF_8));

    assertThat(r.closed()).isEqualTo(20);
    assertThat(r.breachToClosed().count()).isEqualTo(20);
    // Every undo put its canary back to 0 % at the router after the watches completed, before the close.
    assertThat(r.breachToZero().count()).isEqualTo(20);
    assertThat(r.breachToZero().max()).isBetween(0L, r.breachToClosed().max());
    // Started, step, watch, undo, closed: far fewer events than a rollout's 43.
    assertThat(r.eventsPerWorkflow()).isBetween(15L, 30L);
    assertThat(r.cpuMillisPerRollback()).isPositive();
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("breach -> closed").contains("CPU");
  }
}
