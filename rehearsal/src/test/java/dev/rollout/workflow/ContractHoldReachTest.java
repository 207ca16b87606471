package dev.rollout.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Plan;
import dev.rollout.plan.Plans;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import dev.rollout.rehearsal.Scenario.MetricRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code afterContract: hold} holds only what the rollback undoes. The blue-green promotion with
 * development's and staging's databases set to {@code hold}: both are contracted in their stages,
 * then production fails. With {@code rollbackScope: target} production alone is rolled back, so
 * those contracts (in stages the rollback keeps) must not hold production's switch back to blue.
 */
class ContractHoldReachTest {

  /** A Tuesday: production's window opens at 14:00; errors from 14:05, during the 10% shift's bake. */
  static final Scenario PRODUCTION_ERRORS = new Scenario("errors at 10% in production",
      Instant.parse("2026-03-03T09:00:00Z"), List.of(new MetricRule("error_rate", "5%", null, "5h5m")), null, null, null, null);

  @TempDir Path dir;

  /** The blue-green seed with every database's {@code afterContract} set to {@code hold}. */
  static String holdingEverywhere() throws IOException {
    String seed = Files.readString(SeedPlans.DIR.resolve("blue-green-promotion.yaml"));
    Matcher m = Pattern.compile("(?m)^(\\s+afterContract:\\s*)[a-z-]+").matcher(seed);
    StringBuilder out = new StringBuilder();
    int found = 0;
    while (m.find()) {
      m.appendReplacement(out, "$1hold");
      found++;
    }
    m.appendTail(out);
    assertThat(found).as("afterContract of platform-dev, platform-staging, platform-prod").isEqualTo(3);
    return out.toString();
  }

  static Plan plan(Path dir) throws IOException {
    Path file = dir.resolve("blue-green-hold.yaml");
    Files.writeString(file, holdingEverywhere());
    return Plans.load(file);
  }

  @Test
  void aProductionFailureAfterStagingsContractPutsProductionBackOnStableWithoutHolding() throws IOException {
    RehearsalResult r = Rehearsal.run(plan(dir), PRODUCTION_ERRORS);

    assertThat(r.stuck()).as("production's rollback must not wait for staging's forward fix").isNull();
    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.changes()).contains("database.migrate(platform-staging CONTRACT 3)", "database.migrate(platform-dev CONTRACT 3)");
    assertThat(r.changes()).doesNotContain("database.migrate(platform-prod CONTRACT 3)");
    List<String> rollback = r.changes().subList(r.changes().indexOf("traffic.setWeight(blue-green 0%)"), r.changes().size());
    assertThat(rollback).startsWith("traffic.setWeight(blue-green 0%)", "deploy.setImage(platform-green platform-green:stable)")
        .noneMatch(c -> c.startsWith("database.restore"));
    assertThat(r.status().undos()).noneMatch(u -> u.status() == UndoEntry.Status.NEEDS_DECISION);
    assertThat(r.result().decisions()).extracting(Decision::what)
        .contains("not held for the contract of platform-dev, platform-staging")
        .doesNotContain("rollback held for a forward fix");
  }
}
