package dev.rollout.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Plan;
import dev.rollout.plan.Plans;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import dev.rollout.rehearsal.Scenario.CallRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A breaking migration with {@code onRollback: restore} that fails. When it changed nothing (its
 * SQL failed and rolled back, or it was refused before running) the rollback restored the backup
 * anyway and lost every write made since it; now its undo is dropped, as for a migration already at
 * its target. When some of its migrations stay, the backup is restored as before.
 */
class FailedMigrationRestoreTest {

  @TempDir Path dir;

  static Scenario migrateFails(String type) {
    CallRule rule = new CallRule("database", "migrate", 0, null, "a migration of 'orders' failed", true, null, type);
    return new Scenario("migrate fails: " + type, null, null, null, null, List.of(rule), null);
  }

  private Plan plan() throws IOException {
    Path file = dir.resolve("orders.yaml");
    Files.writeString(file, BreakingMigrationRestoreTest.planText("restore"));
    return Plans.load(file);
  }

  @Test
  void aMigrationThatFailedChangingNothingIsNotUndoneByARestore() throws IOException {
    RehearsalResult r = Rehearsal.run(plan(), migrateFails("MigrationFailed"));

    assertThat(r.stuck()).isNull();
    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.calls()).as("the writes since the backup are kept").noneMatch(c -> c.method().equals("restore"));
    assertThat(r.status().undos()).noneMatch(u -> u.undo() instanceof Undo.RestoreBackup);
    assertThat(r.status().decisions()).anySatisfy(d -> assertThat(d.what())
        .contains("migration changed nothing").contains("failed before changing anything"));
  }

  @Test
  void aMigrationThatFailedHalfWayIsStillRestored() throws IOException {
    RehearsalResult r = Rehearsal.run(plan(), migrateFails("MigrationFailedPartly"));

    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.changes()).containsExactly(
        "database.backup(orders p1s1)", "database.migrate(orders BREAKING 2)",
        "database.restore(orders rehearsal://rollout-orders.production/orders-p1s1)");
  }
}
