package dev.rollout.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every seed plan is rehearsed and set against its bare floor (the ratio is printed, never asserted). */
class FloorBenchTest {

  @Test
  void setsEachSeedPlanAgainstABareWorkflowDoingTheSameTimersAndActivities() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    List<FloorBench.Row> rows = FloorBench.run(Path.of("..", "plans"), 1, new PrintStream(printed, true, StandardCharsets.UTF_8));
    System.out.print(printed.toString(StandardCharsets.UTF_8));

    assertThat(rows).extracting(FloorBench.Row::plan).contains("batch-patches-canary", "drivemind-7-day");
    assertThat(rows).allSatisfy(r -> {
      assertThat(r.activities()).isPositive();
      assertThat(r.timers()).isPositive();
      assertThat(r.floorMillis()).isPositive();
    });
  }
}
