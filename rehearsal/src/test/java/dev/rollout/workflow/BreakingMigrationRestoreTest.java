package dev.rollout.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Plan;
import dev.rollout.plan.Plans;
import dev.rollout.rehearsal.Call;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A breaking migration written in a plan file: its undo restores the backup the run took before
 * it. With {@code onRollback: restore} the rollback restores it on its own, after saying whose
 * decision it is, how old the backup is and what it loses; without, a person decides.
 */
class BreakingMigrationRestoreTest {

  @TempDir Path dir;

  static String planText(String onRollback) {
    return """
        apiVersion: rollout.dev/v1
        name: orders-breaking
        version: "1.0"
        targets: [{service: orders, environment: production}]
        roles: [DBA, DevOps]
        resources:
          databases:
            orders: {connection: ORDERS_DB, migrations: "filesystem:db/migration/orders", onRollback: %s}
          routers:
            edge: {type: proxy, adminUrl: "http://127.0.0.1:9000"}
          metricSources:
            prom: {type: prometheus, url: "http://127.0.0.1:9090"}
          notifiers:
            log: {type: log}
        metrics:
          error_rate: {source: prom, query: "sum(rate(errors[5m]))", unit: "%%"}
        triggers:
          - {metric: error_rate, op: ">", threshold: 5%%}
        notifications: {notifier: log, onRollback: log}
        phases:
          - name: Canary
            steps:
              - {kind: backup, database: orders}
              - {kind: migrate, database: orders, phase: breaking, targetVersion: "2"}
              - {kind: traffic, router: edge, percent: 10}
            bake: 2h
        """.formatted(onRollback);
  }

  private Plan load(String onRollback) throws IOException {
    Path file = dir.resolve("orders-" + onRollback + ".yaml");
    Files.writeString(file, planText(onRollback));
    return Plans.load(file);
  }

  @Test
  void withOnRollbackRestoreTheRollbackRestoresTheBackupOnItsOwnAndSaysWhatWasLost() throws IOException {
    RehearsalResult r = Rehearsal.run(load("restore"), RollbackScenariosTest.errorsFrom("Canary", null));

    assertThat(r.stuck()).isNull();
    assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.changes()).containsExactly(
        "database.backup(orders p1s1)", "database.migrate(orders BREAKING 2)", "traffic.setWeight(edge 10%)",
        "traffic.setWeight(edge 0%)", "database.restore(orders rehearsal://rollout-orders.production/orders-p1s1)");
    UndoEntry restore = r.status().undos().stream().filter(u -> u.undo() instanceof Undo.RestoreBackup)
        .findFirst().orElseThrow();
    assertThat(restore.status()).isEqualTo(UndoEntry.Status.DONE);
    assertThat(restore.by()).as("nobody had to decide").isNull();
    assertThat(restore.description()).contains("every write since then is lost").contains("old when restored");
    // before it ran: whose decision, the backup's time and age, what it loses — logged and announced
    Decision before = r.result().decisions().stream().filter(d -> d.what().startsWith("restoring orders"))
        .findFirst().orElseThrow();
    assertThat(before.what()).contains("from its backup taken 20").contains(" old)");
    assertThat(before.comment()).contains("every write to orders since 20").contains("is lost")
        .contains("the plan says onRollback: restore");
    assertThat(r.result().decisions()).anySatisfy(d -> {
      assertThat(d.what()).startsWith("restored orders from rehearsal://");
      assertThat(d.comment()).startsWith("lost: every write to orders since 20");
    });
    Call notice = r.calls().stream().filter(c -> c.activity().equals("notification") && c.args().contains("restoring orders"))
        .findFirst().orElseThrow();
    Call restored = r.calls().stream().filter(c -> c.method().equals("restore")).findFirst().orElseThrow();
    assertThat(notice.args()).startsWith("log CRITICAL");
    assertThat(r.calls().indexOf(notice)).as("announced before it runs").isLessThan(r.calls().indexOf(restored));
  }

  @Test
  void withoutItAPersonDecidesSeeingTheBackupsAgeAndTheWritesItWouldLose() throws IOException {
    try (Rehearsal rehearsal = Rehearsal.open(RollbackScenariosTest.errorsFrom("Canary", null))) {
      RolloutWorkflow wf = rehearsal.start(load("decide"), "alice");
      RolloutStatus blocked = rehearsal.driveUntil(s -> s.state() == RolloutState.ROLLBACK_BLOCKED);

      assertThat(rehearsal.world().weight("edge")).as("traffic is back on stable already").isZero();
      assertThat(rehearsal.world().dbVersion("orders")).isEqualTo("2");
      UndoEntry restore = blocked.undos().stream().filter(u -> u.status() == UndoEntry.Status.NEEDS_DECISION)
          .findFirst().orElseThrow();
      assertThat(restore.description()).contains("restore orders").contains("taken 20").contains(" old");
      assertThat(restore.error()).contains("a person decides").contains("restoring loses every write to orders since 20");
      assertThat(blocked.waitingFor().item()).contains(restore.id());

      wf.retryUndo(new Actions.UndoAction("carol", "DBA", restore.id(), "the v2 data is unusable, restore"));
      RehearsalResult r = rehearsal.drive();

      assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
      assertThat(rehearsal.world().dbVersion("orders")).isEqualTo("v0");
      assertThat(r.result().decisions()).anySatisfy(d -> {
        assertThat(d.what()).startsWith("restoring orders from its backup taken");
        assertThat(d.comment()).contains("is lost").contains("decided by carol (DBA)");
      });
    }
  }

  @Test
  void keptDataIsNeverRestoredAndTheResultSaysWhoKeptIt() throws IOException {
    try (Rehearsal rehearsal = Rehearsal.open(RollbackScenariosTest.errorsFrom("Canary", null))) {
      RolloutWorkflow wf = rehearsal.start(load("decide"), "alice");
      RolloutStatus blocked = rehearsal.driveUntil(s -> s.state() == RolloutState.ROLLBACK_BLOCKED);
      String id = blocked.undos().stream().filter(u -> u.status() == UndoEntry.Status.NEEDS_DECISION)
          .findFirst().orElseThrow().id();

      wf.skipUndo(new Actions.UndoAction("dave", "DevOps", id, "forward fix instead: keep the orders"));
      RehearsalResult r = rehearsal.drive();

      assertThat(r.result().outcome()).isEqualTo(Outcome.ROLLED_BACK);
      assertThat(r.calls()).noneMatch(c -> c.method().equals("restore"));
      assertThat(rehearsal.world().dbVersion("orders")).isEqualTo("2");
      assertThat(r.result().skipped()).singleElement().asString().contains("dave (DevOps)").contains("keep the orders");
      assertThat(r.result().decisions()).noneMatch(d -> d.what().startsWith("restoring orders"));
    }
  }
}
