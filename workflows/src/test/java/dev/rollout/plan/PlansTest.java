package dev.rollout.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlansTest {
  private static final String MINIMAL = """
      name: mini
      targets: [{service: shop, environment: production}]
      roles: [DevOps]
      resources:
        routers:
          edge: {type: proxy, adminUrl: "http://127.0.0.1:9000"}
        metricSources:
          prom: {type: prometheus, url: "http://127.0.0.1:9090"}
      metrics:
        error_rate: {source: prom, query: "sum(rate(errors[5m]))", unit: "%"}
      phases:
        - name: canary
          bake: 1h30m
          window: {days: [MON, Tue, friday], start: "02:00", end: "04:00"}
          exitApproval: {roles: [DevOps]}
          steps:
            - {kind: traffic, router: edge, percent: 10}
            - {kind: bake, duration: PT24H}
          gates:
            - {metric: error_rate, op: "<", threshold: 1%}
      """;

  @Test
  void readsAMinimalPlanFillingInTheDefaults() {
    Plan plan = Plans.parse(MINIMAL, "mini.yaml");

    Phase canary = plan.phases().get(0);
    assertThat(plan.timeZone()).isEqualTo("UTC");
    assertThat(canary.risk()).isEqualTo(Risk.LOW);
    assertThat(canary.bake()).isEqualTo(Duration.ofMinutes(90));
    assertThat(canary.steps().get(1)).isEqualTo(new Step.Bake(null, Duration.ofHours(24), null, null));
    assertThat(canary.gates().get(0).interval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(canary.gates().get(0).onNoData()).isEqualTo(NoDataAction.FAIL);
    assertThat(canary.exitApproval().onTimeout()).isEqualTo(TimeoutAction.WAIT);
    assertThat(canary.onGateFailure()).isEqualTo(GateFailureAction.ROLLBACK);
  }

  @Test
  void readsDaysOfTheWeekInAnyCaseAndLength() {
    Window window = Plans.parse(MINIMAL, "mini.yaml").phases().get(0).window();

    assertThat(window.days()).containsExactly(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.FRIDAY);
    assertThat(window.start()).isEqualTo(LocalTime.of(2, 0));
  }

  @Test
  void readsTheSamePlanWrittenAsJson() throws Exception {
    Plan yaml = Plans.parse(MINIMAL, "mini.yaml");
    String json = Plans.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(yaml);

    assertThat(json).contains("\"bake\" : \"1h30m\"").contains("\"start\" : \"02:00\"");
    assertThat(Plans.parse(json, "mini.json")).isEqualTo(yaml);
  }

  @Test
  void repeatsAnchoredValuesWhereAnAliasNamesThem() {
    String text = MINIMAL.replace("exitApproval: {roles: [DevOps]}", "exitApproval: &review {roles: [DevOps], quorum: 1}")
        + "  - name: full\n    exitApproval: *review\n";

    Plan plan = Plans.parse(text, "aliases.yaml");

    assertThat(plan.phases().get(1).exitApproval()).isEqualTo(plan.phases().get(0).exitApproval());
  }

  @Test
  void refusesAliasBombsInsteadOfExpandingThem() {
    StringBuilder bomb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 9; i++) {
      bomb.append("a").append(i).append(": &a").append(i).append(" [");
      bomb.append(("*a" + (i - 1) + ", ").repeat(9)).append("*a").append(i - 1).append("]\n");
    }

    PlanException refused = catchThrowableOfType(() -> Plans.parse(bomb.toString(), "bomb.yaml"), PlanException.class);

    assertThat(refused.problems()).singleElement().extracting(Problem::message)
        .isEqualTo("malformed YAML: more than 200000 values (aliases expanded)");
  }

  @Test
  void refusesDeeplyNestedValuesWithAProblemNotAStackOverflow() {
    String deep = "name: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n";

    PlanException refused = catchThrowableOfType(() -> Plans.parse(deep, "deep.yaml"), PlanException.class);

    assertThat(refused.problems()).singleElement().extracting(Problem::message).asString()
        .startsWith("malformed YAML: ");
  }

  /**
   * Refused before the reader recurses deep, also on a thread with a small stack: at Jackson's own
   * limit (1,000 levels) a cold API request thread overflowed its stack and answered 500 (seen in
   * validation, SecurityAttackTest).
   */
  @Test
  void refusesNestingPastSixtyFourLevelsNamingTheLineOnASmallStack() throws Exception {
    String deep = "apiVersion: rollout.dev/v1\nname: " + "[".repeat(1_000) + "]".repeat(1_000) + "\n";
    java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
    Thread small = new Thread(null, () -> {
      try {
        Plans.parse(deep, "deep.yaml");
      } catch (Throwable t) {
        thrown.set(t);
      }
    }, "small-stack", 160 * 1024);
    small.start();
    small.join(30_000);

    assertThat(thrown.get()).isInstanceOf(PlanException.class);
    assertThat(((PlanException) thrown.get()).problems()).singleElement().extracting(Problem::message)
        .isEqualTo("malformed YAML: values nested more than 64 levels deep");
    assertThat(thrown.get().getMessage()).startsWith("deep.yaml:2:");
  }

  @Test
  void refusesAFileOverOneMebibyteBeforeReadingIt(@TempDir Path dir) throws Exception {
    Path big = dir.resolve("big.yaml");
    Files.writeString(big, MINIMAL + "#".repeat(Plans.MAX_BYTES));

    PlanException refused = catchThrowableOfType(() -> Plans.load(big), PlanException.class);

    long size = Files.size(big);
    assertThat(refused).hasMessage(big + ":1:1 the file is " + size
        + " bytes; a plan file may hold at most 1048576 bytes (1 MiB)");
  }

  @Test
  void aMissingFileIsOneProblemNotAStackTrace(@TempDir Path dir) {
    Path absent = dir.resolve("absent.yaml");

    PlanException refused = catchThrowableOfType(() -> Plans.load(absent), PlanException.class);

    assertThat(refused).hasMessage(absent + ":1:1 the file does not exist");
  }

  @Test
  void aProblemReadsLikeACompilerError() {
    Problem p = new Problem("plans/x.yaml", 14, 13, "phases[2].steps[0].percent", "140 is not a percentage (0-100)");

    assertThat(p).hasToString("plans/x.yaml:14:13 phases[2].steps[0].percent: 140 is not a percentage (0-100)");
  }

  @Test
  void theExceptionListsEveryProblemOnItsOwnLineInFileOrder() {
    String broken = MINIMAL.replace("percent: 10", "percent: 140").replace("roles: [DevOps]}", "roles: [CTO]}")
        .replace("bake: 1h30m", "bake: 0s");

    PlanException refused = catchThrowableOfType(() -> Plans.parse(broken, "broken.yaml"), PlanException.class);

    assertThat(refused.getMessage().lines()).containsExactly(
        "broken.yaml:13:11 phases[0].bake: 0s is not a positive duration",
        "broken.yaml:15:28 phases[0].exitApproval.roles[0]: role 'CTO' is not declared in roles (DevOps)",
        "broken.yaml:17:48 phases[0].steps[0].percent: 140 is not a percentage (0-100)");
  }
}
