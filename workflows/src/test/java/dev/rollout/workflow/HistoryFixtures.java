package dev.rollout.workflow;

import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Regenerates the happy-path histories that {@link ReplayTest} replays. Run it only when a change
 * to the workflow is meant to change its commands (and then think about {@code Workflow.getVersion}
 * for rollouts already running):
 *
 * <pre>
 * mvn -B -o -pl workflows test -Dtest=HistoryFixtures -Dhistories.regenerate=true
 * </pre>
 */
@EnabledIfSystemProperty(named = "histories.regenerate", matches = "true")
class HistoryFixtures {
  static final Path DIR = Path.of("src", "test", "resources", "histories");

  @Test
  void regenerate() throws IOException {
    Files.createDirectories(DIR);
    for (String name : SeedPlans.NAMES) {
      try (Rehearsal rehearsal = Rehearsal.open(Scenario.HAPPY)) {
        rehearsal.start(SeedPlans.load(name), Rehearsal.STARTER);
        if (rehearsal.drive().result().outcome() != Outcome.COMPLETED) throw new AssertionError(name + " did not complete");
        String json = rehearsal.client().fetchHistory(rehearsal.workflowId()).toJson(false);
        Files.writeString(DIR.resolve(name + ".json"), json);
      }
    }
  }
}
