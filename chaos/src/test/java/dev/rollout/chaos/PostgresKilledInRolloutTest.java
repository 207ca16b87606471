package dev.rollout.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.activities.database.DatabaseActivitiesImpl;
import dev.rollout.activities.database.DatabaseSettings;
import dev.rollout.activities.support.Secrets;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Plans;
import dev.rollout.plan.Severity;
import dev.rollout.workflow.Actions;
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
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL killed (-9) under a running rollout, through the real workflow and the real database
 * activities: during the backup before a migration, and during the restore of a rollback. What a
 * person sees must be clear (the rollout rolled back because its backup failed; the restore a
 * person decided failed and the rollback blocked again, with an alert) and the database never
 * half-restored: either as it was or, once PostgreSQL is back and someone retries, as the backup has it. {@link PostgresKillTest}
 * kills it under the activities alone.
 */
@Tag("integration")
class PostgresKilledInRolloutTest {

  static final int ROWS = PostgresKillTest.ROWS;

  final FaultyTargets targets = new FaultyTargets(15L);
  @TempDir Path backups;
  @TempDir Path migrations;
  OwnPostgres pg;
  TestWorkflowEnvironment env;
  WorkflowClient client;

  @BeforeEach
  void start() throws Exception {
    pg = new OwnPostgres();
    pg.execute("postgres", "create database shop");
    pg.execute("shop", "create table orders (id int primary key, item text)",
        "insert into orders select g, md5(g::text) from generate_series(1, " + ROWS + ") g");
    Files.writeString(migrations.resolve("V2__add_note.sql"), "alter table orders add column note text;\n");
    env = TestWorkflowEnvironment.newInstance();
    RolloutSearchAttributes.registerOn(env);
    // A loaded machine can hold a workflow task past the 1 s deadlock detector: slowness, not a deadlock.
    Worker worker = env.newWorker(RolloutWorkflow.TASK_QUEUE,
        WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(10_000).build());
    RolloutWorkflows.registerOn(worker);
    // No scratch-restore check of the backup (verifyRestoreMaxBytes 0): it is tested with the
    // activities, and here it would only double the time; the backup is still checked by pg_restore --list.
    worker.registerActivitiesImplementations(targets.traffic, targets.flagActivities, targets.metrics, targets.notifications,
        new DatabaseActivitiesImpl(new DatabaseSettings(backups, null, null, 0, null),
            new Secrets(Map.of("KILLED_DB_URL", pg.url("shop"), "KILLED_DB_USER", "postgres"))));
    env.newWorker(RolloutWorkflow.watchTaskQueue(RolloutWorkflow.TASK_QUEUE)).registerActivitiesImplementations(targets.metrics);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() throws Exception {
    if (env != null) env.close();
    if (pg != null) pg.close();
  }

  @Test
  void killedDuringTheBackupTheRolloutRollsBackSayingSoAndNothingWasMigrated() throws Exception {
    CompletableFuture<Boolean> killed = killWhenBusy("pg_dump");
    String id = start(plan("pg-killed-backup"));
    RolloutResult result = WorkflowStub.fromTyped(client.newWorkflowStub(RolloutWorkflow.class, id)).getResult(RolloutResult.class);

    assertThat(killed.join()).as("PostgreSQL was killed while pg_dump ran").isTrue();
    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.trigger()).isEqualTo("step failed");
    assertThat(result.reason()).as("says which step failed and why").contains("back up shop").contains("not reachable");
    assertThat(targets.weights.get(id)).as("traffic back on stable").isZero();
    try (Stream<Path> files = Files.walk(backups)) {
      assertThat(files.filter(Files::isRegularFile).map(Path::toString)).as("no backup a restore could mistake for a good one")
          .noneMatch(f -> f.endsWith(".dump"));
    }
    pg.start();
    assertThat(noteColumns()).as("the migration never ran without its backup").isZero();
    assertThat(pg.queryLong("shop", "select count(*) from orders")).isEqualTo(ROWS);
  }

  @Test
  void killedDuringARollbacksRestoreTheRollbackBlocksWithTheDatabaseUntouchedAndTheRetryRestoresIt() throws Exception {
    targets.breaksAt = 100.0;
    String id = start(plan("pg-killed-restore"));
    RolloutWorkflow stub = client.newWorkflowStub(RolloutWorkflow.class, id);
    // After a contract migration no restore runs by itself: the rollback waits for a person to decide it.
    RolloutStatus waiting = awaitStatus(id, s -> s.state() == RolloutState.ROLLBACK_BLOCKED);
    UndoEntry restore = waiting.undos().stream()
        .filter(u -> u.status() == UndoEntry.Status.NEEDS_DECISION && u.description().contains("shop")).findFirst().orElseThrow();
    assertThat(targets.weights.get(id)).as("traffic went back to stable before the database").isZero();

    int alertsBefore = targets.alerts.size();
    CompletableFuture<Boolean> killed = killWhenBusy("psql");
    stub.retryUndo(new Actions.UndoAction("carol", "SRE", restore.id(), "restore the backup"));
    RolloutStatus blocked = awaitStatus(id, s -> s.state() == RolloutState.ROLLBACK_BLOCKED
        && s.undos().stream().anyMatch(u -> u.id().equals(restore.id()) && u.status() == UndoEntry.Status.FAILED));

    assertThat(killed.join()).as("PostgreSQL was killed while the restore ran").isTrue();
    UndoEntry failed = blocked.undos().stream().filter(u -> u.id().equals(restore.id())).findFirst().orElseThrow();
    assertThat(failed.error()).as("says what failed").contains("shop");
    assertThat(targets.alerts.subList(alertsBefore, targets.alerts.size())).as("alerted again when the restore failed")
        .anyMatch(a -> a.rolloutId().equals(id) && a.severity() == Severity.CRITICAL && a.title().contains("ROLLBACK BLOCKED")
            && a.message().contains(failed.id()));

    pg.start();
    assertThat(noteColumns()).as("all or nothing: still the migrated schema, not a mix").isEqualTo(1);
    assertThat(pg.queryLong("shop", "select count(*) from orders")).as("all or nothing: every row").isEqualTo(ROWS);

    stub.retryUndo(new Actions.UndoAction("carol", "SRE", failed.id(), "PostgreSQL is back"));
    RolloutResult result = WorkflowStub.fromTyped(stub).getResult(RolloutResult.class);
    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(noteColumns()).as("the backup's schema").isZero();
    assertThat(pg.queryLong("shop", "select count(*) from orders")).isEqualTo(ROWS);
  }

  /** Kills PostgreSQL once a session of {@code application} runs a statement; false if none did within 10 min. */
  private CompletableFuture<Boolean> killWhenBusy(String application) {
    return CompletableFuture.supplyAsync(() -> {
      long end = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (System.nanoTime() < end) {
        if (pg.busy(application)) {
          try {
            pg.kill();
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          return true;
        }
        Poll.pause(Duration.ofMillis(50));
      }
      return false;
    });
  }

  private long noteColumns() throws Exception {
    return pg.queryLong("shop", "select count(*) from information_schema.columns where table_name = 'orders' and column_name = 'note'");
  }

  private String start(Plan plan) {
    String id = RolloutIds.forPlan(plan);
    RolloutWorkflow stub = client.newWorkflowStub(RolloutWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(RolloutWorkflow.TASK_QUEUE).build());
    WorkflowClient.start(stub::run, new RolloutRequest(id, plan, "dave", plan.name() + ".yaml"));
    return id;
  }

  /** Skips workflow time a minute at a time until the status matches (at most a day). */
  private RolloutStatus awaitStatus(String id, Predicate<RolloutStatus> wanted) {
    RolloutWorkflow stub = client.newWorkflowStub(RolloutWorkflow.class, id);
    for (int minute = 0; minute < 24 * 60; minute++) {
      RolloutStatus s = stub.status();
      if (wanted.test(s)) return s;
      if (s.state().terminal()) throw new AssertionError(id + " ended " + s.state() + " (" + s.result() + ") before reaching the awaited state");
      env.sleep(Duration.ofMinutes(1));
    }
    throw new AssertionError(id + " did not reach the awaited state within a day of workflow time");
  }

  /**
   * Traffic 50 %, then 100 % with a backup and a contract migration of shop (its undo is a restore a
   * person decides; a failure after it undoes everything else: afterContract rollback-safe).
   */
  private Plan plan(String name) {
    String yaml = "apiVersion: rollout.dev/v1\n"
        + "name: " + name + "\n"
        + "targets: [{service: " + name + ", environment: test}]\n"
        + "roles: [Release Manager, SRE]\n"
        + "resources:\n"
        + "  routers: {edge: {type: proxy, adminUrl: \"http://127.0.0.1:9/fake\"}}\n"
        + "  databases: {shop: {connection: KILLED_DB, migrations: \"filesystem:" + migrations + "\", afterContract: rollback-safe}}\n"
        + "  metricSources: {app: {type: scripted, values: {error_rate: 0.1}}}\n"
        + "  notifiers: {log: {type: log}}\n"
        + "metrics:\n"
        + "  error_rate: {source: app, query: error_rate, unit: \"%\"}\n"
        + "notifications: {notifier: log}\n"
        + "phases:\n"
        + "  - name: wave-1\n"
        + "    bake: 10m\n"
        + "    onStepFailure: rollback\n"
        + "    steps:\n"
        + "      - {kind: traffic, router: edge, percent: 50}\n"
        + "    triggers: [{name: errors, metric: error_rate, op: \">\", threshold: 1%, interval: 1m}]\n"
        + "  - name: wave-2\n"
        + "    bake: 10m\n"
        + "    onStepFailure: rollback\n"
        + "    steps:\n"
        + "      - {kind: traffic, router: edge, percent: 100}\n"
        + "      - {kind: backup, database: shop}\n"
        + "      - {kind: migrate, database: shop, phase: contract, targetVersion: \"2\"}\n"
        + "    triggers: [{name: errors, metric: error_rate, op: \">\", threshold: 1%, interval: 1m}]\n";
    return Plans.parse(yaml, name + ".yaml");
  }
}
