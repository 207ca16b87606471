package dev.rollout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollout.demo.DemoPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code validate} runs here, with no server. */
class ValidateCommandTest {

  @TempDir Path dir;

  @Test
  void aValidPlanIsOkWithItsNameAndPhases() throws Exception {
    Path plan = Files.writeString(dir.resolve("demo.yaml"), DemoPlan.text());
    Run run = Run.of("validate", plan.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("ok", "demo.yaml", "demo-greeter-v2, 3 phases");
  }

  @Test
  void anInvalidPlanExitsOneWithEveryProblemAtItsFileLineAndColumn() throws Exception {
    Path plan = Files.writeString(dir.resolve("bad.yaml"), """
        apiVersion: rollout.dev/v1
        name: bad
        targets:
          - { service: x, environment: y }
        phases:
          - name: one
            bake: 5
            steps:
              - { kind: trafic, router: r, percent: 10 }
        """);
    Run run = Run.of("validate", plan.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(run.out()).contains("INVALID", "(2 problems)");
    assertThat(run.err())
        .contains(plan + ":7:11 phases[0].bake: 5 has no unit")
        .contains(plan + ":9:17 phases[0].steps[0].kind: unknown step kind 'trafic'");
  }

  @Test
  void aDirectoryMeansEveryPlanInItAndOneBadPlanFailsTheRun() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), DemoPlan.text());
    Files.createDirectories(dir.resolve("more"));
    Files.writeString(dir.resolve("more/b.yml"), "name: [unclosed\n");
    Files.writeString(dir.resolve("notes.txt"), "not a plan");
    Run run = Run.of("validate", dir.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("ok       " + dir.resolve("a.yaml"), "INVALID  " + dir.resolve("more/b.yml"));
    assertThat(run.out()).doesNotContain("notes.txt");
    assertThat(run.err()).contains(dir.resolve("more/b.yml") + ":");
  }

  @Test
  void aMissingFileIsAProblemNamingIt() {
    Run run = Run.of("validate", dir.resolve("nope.yaml").toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("nope.yaml:1:1 the file");
    assertThat(run.out()).contains("INVALID");
  }

  @Test
  void anEmptyDirectoryIsRefused() {
    Run run = Run.of("validate", dir.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("holds no plan files");
  }

  @Test
  void jsonOutputListsEachFileWithItsProblems() throws Exception {
    Path good = Files.writeString(dir.resolve("good.yaml"), DemoPlan.text());
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "apiVersion: rollout.dev/v1\nname: x\nphases: 3\n");
    Run run = Run.of("validate", good.toString(), bad.toString(), "--output", "json");

    JsonNode json = Json.MAPPER.readTree(run.out());
    assertThat(json.get(0).path("problems")).isEmpty();
    assertThat(json.get(1).path("problems").get(0).path("line").asInt()).isPositive();
    assertThat(json.get(1).path("problems").get(0).path("source").asText()).isEqualTo(bad.toString());
  }

  @Test
  void noFileIsAUsageError() {
    Run run = Run.of("validate");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("FILE|DIR");
  }
}
