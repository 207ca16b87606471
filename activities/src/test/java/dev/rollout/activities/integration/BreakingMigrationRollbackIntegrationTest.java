package dev.rollout.activities.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.activities.database.DatabaseActivitiesImpl;
import dev.rollout.activities.database.DatabaseSettings;
import dev.rollout.activities.notify.NotificationActivitiesImpl;
import dev.rollout.activities.notify.log.LogSender;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Plans;
import dev.rollout.workflow.Actions;
import dev.rollout.workflow.Decision;
import dev.rollout.workflow.Outcome;
import dev.rollout.workflow.RolloutIds;
import dev.rollout.workflow.RolloutRequest;
import dev.rollout.workflow.RolloutResult;
import dev.rollout.workflow.RolloutSearchAttributes;
import dev.rollout.workflow.RolloutState;
import dev.rollout.workflow.RolloutStatus;
import dev.rollout.workflow.RolloutWorkflow;
import dev.rollout.workflow.RolloutWorkflows;
import dev.rollout.workflow.UndoEntry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plan file with a breaking migration, run by the real workflow and the real database activities
 * against the real PostgreSQL: rows are written after the backup, then the rollout is aborted.
 * With {@code onRollback: restore} the backup is restored on its own (the old schema and the rows
 * as they were, the later rows lost, and the decision log says so); without, a person decides.
 */
@Tag("integration")
class BreakingMigrationRollbackIntegrationTest {

  @TempDir Path dir;
  PgFixture db;
  TestWorkflowEnvironment env;

  @BeforeEach
  void world() throws Exception {
    db = new PgFixture("breaking_orders");
    db.execute("create table orders (id int primary key, amount numeric)",
        "insert into orders select g, g from generate_series(1, 300) g");
    Files.createDirectories(dir.resolve("migrations"));
    // breaking: the old version reads orders.amount, which this renames
    Files.writeString(dir.resolve("migrations/V2__breaking.sql"), "alter table orders rename column amount to amount_eur;\n");
    env = TestWorkflowEnvironment.newInstance();
    RolloutSearchAttributes.registerOn(env);
    Worker worker = env.newWorker(RolloutWorkflow.TASK_QUEUE);
    RolloutWorkflows.registerOn(worker);
    worker.registerActivitiesImplementations(
        new DatabaseActivitiesImpl(new DatabaseSettings(dir.resolve("backups")), db.secrets("BREAKING_DB")),
        new NotificationActivitiesImpl(List.of(new LogSender()), Clock.systemUTC()));
    env.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    env.close();
    db.close();
  }

  @Test
  void withOnRollbackRestoreTheBackupIsRestoredOnItsOwnAndTheLogSaysWhatWasLost() throws Exception {
    RolloutWorkflow workflow = start("restore");
    awaitStatus(workflow, s -> s.state() == RolloutState.BAKING, "BAKING");
    assertThat(db.hasColumn("orders", "amount_eur")).isTrue();
    db.execute("insert into orders (id, amount_eur) select g, g from generate_series(301, 320) g");

    workflow.abort(new Actions.Abort("it", "v2 reads wrong amounts", "DBA"));
    RolloutResult result = result();

    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(db.hasColumn("orders", "amount")).as("the old schema is back").isTrue();
    assertThat(db.hasColumn("orders", "amount_eur")).isFalse();
    assertThat(db.queryLong("select count(*) from orders")).as("the 20 rows written after the backup are lost").isEqualTo(300);
    assertThat(result.decisions()).extracting(Decision::what).anySatisfy(w -> assertThat(w).startsWith("restoring orders from its backup taken"));
    assertThat(result.decisions()).anySatisfy(d -> {
      assertThat(d.what()).startsWith("restored orders from ").contains(dir.resolve("backups").toString());
      assertThat(d.comment()).startsWith("lost: every write to orders since 20");
    });
    UndoEntry restore = workflow.status().undos().stream().filter(u -> u.description().startsWith("restore orders")).findFirst().orElseThrow();
    assertThat(restore.status()).isEqualTo(UndoEntry.Status.DONE);
    assertThat(restore.description()).contains("old when restored");
  }

  @Test
  void withoutItTheRestoreWaitsForAPersonWhoDecidesIt() throws Exception {
    RolloutWorkflow workflow = start("decide");
    awaitStatus(workflow, s -> s.state() == RolloutState.BAKING, "BAKING");
    db.execute("insert into orders (id, amount_eur) select g, g from generate_series(301, 320) g");

    workflow.abort(new Actions.Abort("it", "v2 reads wrong amounts", "DBA"));
    RolloutStatus blocked = awaitStatus(workflow, s -> s.state() == RolloutState.ROLLBACK_BLOCKED, "ROLLBACK_BLOCKED");

    UndoEntry restore = blocked.undos().stream().filter(u -> u.status() == UndoEntry.Status.NEEDS_DECISION).findFirst().orElseThrow();
    assertThat(restore.error()).contains("a person decides").contains("restoring loses every write to orders since 20");
    assertThat(restore.description()).contains("old");
    assertThat(db.queryLong("select count(*) from orders")).as("nothing restored before the decision").isEqualTo(320);
    assertThat(db.hasColumn("orders", "amount_eur")).isTrue();

    workflow.retryUndo(new Actions.UndoAction("carol", "DBA", restore.id(), "amounts are wrong, restore"));
    RolloutResult result = result();

    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(db.hasColumn("orders", "amount")).isTrue();
    assertThat(db.queryLong("select count(*) from orders")).isEqualTo(300);
    assertThat(result.decisions()).anySatisfy(d -> assertThat(d.comment()).contains("decided by carol (DBA)"));
  }

  private String planText(String onRollback) {
    return """
        apiVersion: rollout.dev/v1
        name: breaking-%s
        version: 1.0.0
        targets:
          - { service: orders-%s, environment: it }
        roles: [DBA]
        resources:
          databases:
            orders: { connection: BREAKING_DB, migrations: "filesystem:%s", onRollback: %s }
          notifiers:
            log: { type: log }
        notifications: { notifier: log, onRollback: log }
        phases:
          - name: orders-v2
            steps:
              - { kind: backup, database: orders }
              - { kind: migrate, database: orders, phase: breaking, targetVersion: "2" }
            bake: 1h
        """.formatted(onRollback, db.database, dir.resolve("migrations"), onRollback);
  }

  private String id;

  private RolloutWorkflow start(String onRollback) throws Exception {
    Path planFile = dir.resolve("breaking-" + onRollback + ".yaml");
    Files.writeString(planFile, planText(onRollback));
    Plan plan = Plans.load(planFile);
    id = RolloutIds.forPlan(plan);
    RolloutWorkflow workflow = env.getWorkflowClient().newWorkflowStub(RolloutWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(RolloutWorkflow.TASK_QUEUE).setWorkflowId(id).build());
    WorkflowClient.start(workflow::run, new RolloutRequest(id, plan, "it", planFile.toString()));
    return env.getWorkflowClient().newWorkflowStub(RolloutWorkflow.class, id);
  }

  private RolloutResult result() throws Exception {
    return env.getWorkflowClient().newUntypedWorkflowStub(id)
        .getResult(180, java.util.concurrent.TimeUnit.SECONDS, RolloutResult.class);
  }

  private static RolloutStatus awaitStatus(RolloutWorkflow workflow, Predicate<RolloutStatus> reached, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    RolloutStatus last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = workflow.status();
        if (reached.test(last)) return last;
      } catch (RuntimeException notYet) {
        // the first workflow task has not run yet
      }
      Thread.sleep(50);
    }
    throw new AssertionError("never reached " + what + " within 180 s; last " + (last == null ? null : last.state()));
  }
}
