package dev.rollout.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark runs over the seed plans and prints a line per plan (timings are printed, never asserted). */
class RehearsalBenchTest {

  @Test
  void rehearsesEverySeedPlanAndPrintsItsFigures() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    List<RehearsalBench.Row> rows =
        RehearsalBench.run(Path.of("..", "plans"), 1, new PrintStream(printed, true, StandardCharsets.UTF_8));

    assertThat(rows).extracting(RehearsalBench.Row::plan).contains("batch-patches-canary", "drivemind-7-day");
    assertThat(rows).allSatisfy(r -> assertThat(r.outcome()).isEqualTo("COMPLETED"));
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("median ms").contains("batch-patches-canary");
    System.out.print(printed.toString(StandardCharsets.UTF_8));
  }
}
