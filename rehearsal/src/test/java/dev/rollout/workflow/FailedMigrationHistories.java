package dev.rollout.workflow;

import dev.rollout.rehearsal.Rehearsal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records the history of {@value StepRunner#FAILED_MIGRATION_NO_UNDO} for {@link ReplayTest}, into
 * a NEW file only (an existing file is never overwritten); list it in {@code SHA256SUMS}:
 *
 * <pre>
 * mvn -B -o -pl rehearsal -am test -Dsurefire.failIfNoSpecifiedTests=false -Dtest=FailedMigrationHistories -Dhistories.recordNew=true
 * </pre>
 */
@EnabledIfSystemProperty(named = "histories.recordNew", matches = "true")
class FailedMigrationHistories {

  @TempDir Path dir;

  @Test
  void record() throws IOException {
    // a breaking migration (onRollback: restore) fails changing nothing: rolled back, no restore
    try (Rehearsal rehearsal = Rehearsal.open(FailedMigrationRestoreTest.migrateFails("MigrationFailed"))) {
      Path file = dir.resolve("orders.yaml");
      Files.writeString(file, BreakingMigrationRestoreTest.planText("restore"));
      rehearsal.start(dev.rollout.plan.Plans.load(file), "alice");
      RolloutResult result = rehearsal.drive().result();
      if (result.outcome() != Outcome.ROLLED_BACK) throw new AssertionError("did not roll back: " + result);
      HistoryFixtures.writeNew(rehearsal, "breaking-migration-failed-kept-data.json");
    }
  }
}
