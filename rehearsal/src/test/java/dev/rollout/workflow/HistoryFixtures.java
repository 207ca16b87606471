package dev.rollout.workflow;

import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.Scenario;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the happy-path history of a seed plan that has none yet, for {@link ReplayTest}; an
 * existing history is never overwritten (a workflow change goes behind {@code Workflow.getVersion}
 * and must replay the old ones). List a new file in {@code SHA256SUMS} ({@link HistoriesManifestTest}):
 *
 * <pre>
 * mvn -B -o -pl rehearsal -am test -Dtest=HistoryFixtures -Dhistories.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfSystemProperty(named = "histories.regenerate", matches = "true")
class HistoryFixtures {
  /** workflows/src/test/resources/histories, where {@link ReplayTest} reads them. */
  static final Path DIR = StoredHistories.DIR;

  @Test
  void regenerate() throws IOException {
    Files.createDirectories(DIR);
    for (String name : SeedPlans.NAMES) {
      try (Rehearsal rehearsal = Rehearsal.open(Scenario.HAPPY)) {
        rehearsal.start(SeedPlans.load(name), Rehearsal.STARTER);
        if (rehearsal.drive().result().outcome() != Outcome.COMPLETED) throw new AssertionError(name + " did not complete");
        String json = rehearsal.client().fetchHistory(rehearsal.workflowId()).toJson(false);
        Path file = DIR.resolve(name + ".json");
        // Never over a stored history: rollouts in flight are what it stands for (HistoriesManifestTest).
        if (!Files.exists(file)) Files.writeString(file, json);
      }
    }
  }

  /**
   * Writes the rehearsal's history under {@code name}, refusing to replace a stored one: a stored
   * history stands for rollouts in flight ({@link HistoriesManifestTest}).
   */
  static void writeNew(Rehearsal rehearsal, String name) throws IOException {
    writeNew(rehearsal.client(), rehearsal.workflowId(), name);
  }

  /** The same for a rollout run by any client (e.g. a {@link RolloutTestEnvironment}'s). */
  static void writeNew(WorkflowClient client, String workflowId, String name) throws IOException {
    Path file = DIR.resolve(name);
    if (Files.exists(file)) throw new AssertionError(file + " exists; stored histories are never overwritten");
    Files.writeString(file, client.fetchHistory(workflowId).toJson(false));
  }
}
