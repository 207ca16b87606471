package dev.rollout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollout.demo.DemoPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rehearse} runs the real workflow on Temporal's time-skipping test server, in-process. */
class RehearseCommandTest {

  @TempDir Path dir;
  Path plan;

  @BeforeEach
  void writePlan() throws Exception {
    plan = Files.writeString(dir.resolve("demo-plan.yaml"), DemoPlan.text());
  }

  @Test
  void theHappyPathPrintsEachPhaseWithItsWeightsAndApprovalsAndEndsCompleted() {
    Run run = Run.of("rehearse", plan.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains("rehearsal of demo-greeter-v2", "scenario: happy path")
        .containsPattern("canary-10 +traffic.setWeight\\(demo-router 10%\\)")
        .containsPattern("wave-50 +traffic.setWeight\\(demo-router 50%\\)")
        .containsPattern("full +traffic.setWeight\\(demo-router 100%\\)")
        .containsPattern("canary-10 +rehearsal-release-manager \\(release-manager\\): approved entry approval of phase canary-10")
        .containsPattern("wave-50 +rehearsal-sre \\(sre\\): approved exit approval of phase wave-50")
        .contains("simulated ");
    assertThat(run.out().strip()).endsWith("COMPLETED");
  }

  @Test
  void aScriptedErrorSpikeInTheSecondWaveRollsBack() throws Exception {
    Path scenario = Files.writeString(dir.resolve("spike.yaml"), """
        name: canary errors in wave-50
        metrics:
          - { metric: error_rate, value: 12%, fromPhase: wave-50 }
        """);
    Run run = Run.of("rehearse", plan.toString(), "--scenario", scenario.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains("scenario: canary errors in wave-50")
        // traffic goes straight back to stable, not to the previous wave's 10 %
        .doesNotContainPattern("rollback +traffic.setWeight\\(demo-router 10%\\)")
        .containsPattern("rollback +traffic.setWeight\\(demo-router 0%\\)")
        .doesNotContain("demo-router 100%");
    assertThat(run.out().strip()).endsWith("ROLLED_BACK");
  }

  @Test
  void aScriptedRejectionRollsBackBeforeAnyTrafficMoves() throws Exception {
    Path scenario = Files.writeString(dir.resolve("reject.yaml"), """
        name: the release manager says no
        approvals: { canary-10: reject }
        """);
    Run run = Run.of("rehearse", plan.toString(), "-s", scenario.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("rejected entry approval of phase canary-10").doesNotContain("setWeight");
    assertThat(run.out().strip()).endsWith("ROLLED_BACK");
  }

  @Test
  void jsonOutputCarriesTheStateAndTheTimeline() throws Exception {
    JsonNode json = Json.MAPPER.readTree(Run.of("rehearse", plan.toString(), "-o", "json").out());

    assertThat(json.path("state").asText()).isEqualTo("COMPLETED");
    assertThat(json.path("timeline").findValuesAsText("phase")).contains("canary-10", "wave-50", "full");
    assertThat(json.path("historyEvents").asInt()).isPositive();
  }

  @Test
  void anInvalidPlanIsRefusedWithItsLine() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "apiVersion: rollout.dev/v1\nname: x\nphases:\n  - name: a\n    bake: soon\n");
    Run run = Run.of("rehearse", bad.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(run.err()).contains(bad + ":5:11", "nothing was rehearsed");
  }

  @Test
  void anUnreadableScenarioIsRefusedNamingTheFile() throws Exception {
    Path scenario = Files.writeString(dir.resolve("odd.yaml"), "metrics: 12\nsurprise: true\n");
    Run run = Run.of("rehearse", plan.toString(), "--scenario", scenario.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(run.err()).contains("odd.yaml");
  }
}
