package dev.rollout.workflow;

import dev.rollout.rehearsal.Rehearsal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records the histories of {@value Rollback#RESTORE_ANNOUNCED} and {@value Rollback#HOLD_IN_REACH}
 * for {@link ReplayTest}, into NEW files only (an existing file is never overwritten); list each in
 * {@code SHA256SUMS}:
 *
 * <pre>
 * mvn -B -o -pl rehearsal -am test -Dsurefire.failIfNoSpecifiedTests=false -Dtest=RestoreAndHoldHistories -Dhistories.recordNew=true
 * </pre>
 */
@EnabledIfSystemProperty(named = "histories.recordNew", matches = "true")
class RestoreAndHoldHistories {

  @TempDir Path dir;

  @Test
  void record() throws IOException {
    // a breaking migration's backup restored on its own (onRollback: restore), announced first
    try (Rehearsal rehearsal = Rehearsal.open(RollbackScenariosTest.errorsFrom("Canary", null))) {
      Path file = dir.resolve("orders.yaml");
      Files.writeString(file, BreakingMigrationRestoreTest.planText("restore"));
      rehearsal.start(dev.rollout.plan.Plans.load(file), "alice");
      check(rehearsal.drive().result().outcome() == Outcome.ROLLED_BACK, "restore by plan");
      HistoryFixtures.writeNew(rehearsal, "breaking-migration-restored-by-plan.json");
    }
    // staging contracted with afterContract: hold, production fails: production goes back, no hold
    try (Rehearsal rehearsal = Rehearsal.open(ContractHoldReachTest.PRODUCTION_ERRORS)) {
      rehearsal.start(ContractHoldReachTest.plan(dir), "alice");
      check(rehearsal.drive().result().outcome() == Outcome.ROLLED_BACK, "production rollback");
      HistoryFixtures.writeNew(rehearsal, "promotion-contract-kept-not-held.json");
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) throw new AssertionError(what + " did not end as recorded");
  }

}
