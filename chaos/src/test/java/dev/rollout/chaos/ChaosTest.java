package dev.rollout.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.Plan;
import dev.rollout.plan.Plans;
import dev.rollout.workflow.RolloutIds;
import dev.rollout.workflow.RolloutRequest;
import dev.rollout.workflow.RolloutWorkflow;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Durability under kill -9: Temporal's test server in one process, the real workflow and
 * activities ({@link ChaosWorker}) in another, killed at random moments (seeded: {@code
 * -Dchaos.seed}) at least {@value #MIN_KILLS} times and started again each time, while waves of
 * rollouts of varied plans run against an HTTP router, a JSON flag file and real PostgreSQL
 * databases, and the test answers their approvals. Every rollout must end as its script says,
 * every side effect must have happened once (retries of the same call aside) and been undone once
 * where it rolled back, and every approval must have been counted once.
 */
@Tag("integration")
class ChaosTest {

  static final int MIN_KILLS = Integer.getInteger("chaos.kills", 30);
  static final int WAVE = Integer.getInteger("chaos.wave", 8);
  static final int WAVES = 3;
  static final long SEED = Long.getLong("chaos.seed", 20261201L);
  /**
   * How long, after the last kill, every rollout may take to end on a quiet machine; scaled by how
   * slow this machine is now ({@link #slowness}): what is left of a rollout then (bakes of seconds,
   * steps, approvals, rollbacks) is CPU work of the worker and the server.
   */
  static final Duration RECOVERY = Duration.ofSeconds(Long.getLong("chaos.recovery.seconds", 240));
  /** The whole run can never take longer, however slow the machine: a hang fails the test. */
  static final Duration DEADLINE = Duration.ofSeconds(Long.getLong("chaos.deadline.seconds", 1500));
  /** A worker's launch-to-polling time on a quiet 2-core machine (measured 2.9-4.2 s). */
  static final Duration QUIET_START = Duration.ofSeconds(4);
  /** The most the recovery bound is stretched for a slow machine. */
  static final double MAX_SLOWNESS = 5;

  final String run = "chaos_" + Long.toHexString(System.nanoTime());
  final String ledgerDatabase = run + "_ledger";
  final List<String> databases = new ArrayList<>();
  final List<ChaosRollout> rollouts = new ArrayList<>();
  final List<Thread> drivers = new ArrayList<>();
  final Random random = new Random(SEED);
  Path dir;
  LocalTargets targets;
  TemporalServerProcess server;
  WorkerProcess worker;
  Map<String, String> workerEnv;

  @Test
  void everyRolloutEndsAsScriptedThroughKills() throws Exception {
    long began = System.nanoTime();
    dir = Files.createDirectories(Path.of("target", run).toAbsolutePath());
    Path migrations = Files.createDirectories(dir.resolve("migrations"));
    Files.writeString(migrations.resolve("V2__add_note.sql"), "alter table orders add column note text;\n");
    SharedPostgres.admin("create database " + ledgerDatabase);
    new Ledger(SharedPostgres.url(ledgerDatabase), SharedPostgres.user()).prepare();
    targets = new LocalTargets();
    server = new TemporalServerProcess(dir.resolve("temporal-server.log"));

    workerEnv = new HashMap<>();
    workerEnv.put("CHAOS_TEMPORAL_ADDRESS", server.address());
    workerEnv.put("CHAOS_LEDGER_URL", SharedPostgres.url(ledgerDatabase));
    workerEnv.put("CHAOS_LEDGER_USER", SharedPostgres.user());
    workerEnv.put("CHAOS_BACKUP_DIR", dir.resolve("backups").toString());
    List<List<ChaosScript>> waves = new ArrayList<>();
    for (int w = 0; w < WAVES + 2; w++) waves.add(prepareWave(w, migrations));
    worker = new WorkerProcess(workerEnv, dir);
    worker.start();

    int wavesStarted = 0;
    startWave(waves.get(wavesStarted++));
    long hardEnd = began + DEADLINE.toNanos();
    while (worker.kills() < MIN_KILLS) {
      if (System.nanoTime() > hardEnd) {
        throw new AssertionError("the chaos run did not make its kills within " + DEADLINE + " (kills: " + worker.kills() + "); still running:\n" + stuck());
      }
      Poll.pause(Duration.ofMillis(500 + random.nextInt(6500)));
      worker.kill();
      boolean nextWave = worker.kills() % (MIN_KILLS / WAVES) == 0 && wavesStarted < WAVES;
      // Kills left but every rollout ended: start another wave, so no kill hits an idle worker.
      boolean idle = allEnded() && wavesStarted < waves.size();
      if (nextWave || idle) startWave(waves.get(wavesStarted++));
      worker.start();
    }
    long lastKill = System.nanoTime();
    double slowness = slowness();
    Duration recoveryBound = Duration.ofMillis((long) (RECOVERY.toMillis() * slowness));
    long end = Math.min(lastKill + recoveryBound.toNanos(), hardEnd);
    while (!allEnded()) {
      if (System.nanoTime() > end) {
        throw new AssertionError(String.format("%d of %d rollouts did not end within %d s of the last kill (%d s on a quiet machine x"
            + " slowness %.1f, from the median worker start %.1f s; the whole run at most %s); still running:%n%s", running(),
            rollouts.size(), recoveryBound.toSeconds(), RECOVERY.toSeconds(), slowness, worker.medianStart().toMillis() / 1000.0, DEADLINE, stuck()));
      }
      Poll.pause(Duration.ofMillis(500));
    }
    Duration killPhase = Duration.ofNanos(lastKill - began);
    Duration recovered = Duration.ofNanos(System.nanoTime() - lastKill);
    for (Thread t : drivers) t.join(Duration.ofMinutes(1).toMillis());

    ChaosChecks checks = new ChaosChecks(ledgerDatabase, targets);
    for (ChaosRollout r : rollouts) checks.check(r);
    int activityTimeoutSeconds = scheduledStepTimeoutSeconds(rollouts.get(0).rolloutId());
    int watchAttempts = scheduledWatchAttempts();
    long taskTimeouts = countEvents(EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT);
    long taskFailures = countEvents(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
    long watchesLost = rollouts.stream().filter(r -> r.driver().result != null)
        .flatMap(r -> r.driver().result.decisions().stream())
        .filter(d -> d.what().startsWith("trigger watch lost")).count();
    long completed = rollouts.stream().filter(r -> r.driver().result != null && r.driver().result.outcome().name().equals("COMPLETED")).count();
    // A broken version is caught by the trigger watch (on the watch task queue) or by the gates at
    // the end of the bake; a worker that does not serve the watch queue leaves only the gates.
    long byTrigger = rollouts.stream().filter(r -> r.driver().result != null
        && r.driver().result.outcome().name().equals("ROLLED_BACK") && String.valueOf(r.driver().result.trigger()).contains("error_rate >")).count();
    String summary = String.format(
        "CHAOS SUMMARY (seed %d): %d rollouts (%d completed, %d rolled back, %d of them by a watched trigger) of 2-4 phases; worker killed -9 %d times and"
            + " restarted (median start %.1f s, %d starts died and were retried); %d side effects checked in the ledger (%d undos; %d changes retried, %d extra"
            + " attempts, none applied twice); %d approvals counted once each (%d sent, %d resent after a kill or timeout);"
            + " %d trigger watches lost with a killed worker and re-armed (production watch retries: %d attempts);"
            + " %d workflow tasks timed out, %d failed (recorded in history); wall time %d s (kills %d s, then all ended in %d s;"
            + " bound %d s = %d s x slowness %.1f); load average %.1f at the end",
        SEED, rollouts.size(), completed, rollouts.size() - completed, byTrigger, worker.kills(), worker.medianStart().toMillis() / 1000.0, worker.failedStarts(),
        checks.effectsChecked, checks.undosChecked, checks.retriedEffects, checks.extraAttempts, checks.approvalsChecked,
        rollouts.stream().mapToInt(r -> r.driver().approvalsSent.get()).sum(),
        rollouts.stream().mapToInt(r -> r.driver().approvalsResent.get()).sum(),
        watchesLost, watchAttempts, taskTimeouts, taskFailures,
        Duration.ofNanos(System.nanoTime() - began).toSeconds(), killPhase.toSeconds(), recovered.toSeconds(),
        recoveryBound.toSeconds(), RECOVERY.toSeconds(), slowness,
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.println(summary);
    Files.writeString(Path.of("target", "chaos-summary.txt"), summary + "\n");

    assertThat(checks.problems).as("what did not end as scripted").isEmpty();
    assertThat(worker.kills()).isGreaterThanOrEqualTo(MIN_KILLS);
    assertThat(rollouts).hasSizeGreaterThanOrEqualTo(20);
    assertThat(byTrigger).as("rollbacks started by a watched trigger: the worker serves the watch task queue").isPositive();
    assertThat(activityTimeoutSeconds).as("the chaos worker's short step timeout is in force").isEqualTo((int) ChaosTimeouts.STEP.toSeconds());
    assertThat(watchAttempts).as("trigger watches run with the production retries, no chaos override").isEqualTo(3);
    assertThat(rollouts).as("no rollout rolled back for a watch lost with its worker").noneMatch(r -> r.driver().result != null
        && String.valueOf(r.driver().result.reason()).contains("could not watch"));
  }

  /**
   * How much slower than a quiet machine this one runs now: the median worker start (a JVM
   * launching, loading the workflow and polling) over its quiet figure, between 1 and {@link #MAX_SLOWNESS}.
   */
  private double slowness() {
    double ratio = (double) worker.medianStart().toMillis() / QUIET_START.toMillis();
    return Math.max(1, Math.min(MAX_SLOWNESS, ratio));
  }

  /** How many events of this type the histories of all rollouts hold. */
  private long countEvents(EventType type) {
    long n = 0;
    for (ChaosRollout r : rollouts) {
      n += server.client.fetchHistory(r.rolloutId()).getHistory().getEventsList().stream().filter(e -> e.getEventType() == type).count();
    }
    return n;
  }

  /** The most attempts any trigger watch of any rollout was scheduled with. */
  private int scheduledWatchAttempts() {
    int most = -1;
    for (ChaosRollout r : rollouts) {
      for (HistoryEvent e : server.client.fetchHistory(r.rolloutId()).getHistory().getEventsList()) {
        if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
            && e.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals("Watch")) {
          most = Math.max(most, e.getActivityTaskScheduledEventAttributes().getRetryPolicy().getMaximumAttempts());
        }
      }
    }
    return most;
  }

  private List<ChaosScript> prepareWave(int wave, Path migrations) throws Exception {
    List<ChaosScript> scripts = new ArrayList<>();
    for (int i = 0; i < WAVE; i++) {
      int n = wave * WAVE + i;
      String name = String.format("chaos-%02d", n);
      ChaosScript script = ChaosScript.random(name, random, n % 3 == 0);
      if (script.migrates()) {
        String database = run + "_db" + n;
        SharedPostgres.admin("create database " + database);
        databases.add(database);
        SharedPostgres.execute(database, "create table orders (id int primary key, item text)", "insert into orders values (1, 'kept')");
        workerEnv.put(connection(n) + "_URL", SharedPostgres.url(database));
        workerEnv.put(connection(n) + "_USER", SharedPostgres.user());
      }
      scripts.add(script);
    }
    return scripts;
  }

  private static String connection(int n) {
    return "CHAOS_DB_" + n;
  }

  private void startWave(List<ChaosScript> scripts) throws Exception {
    WorkflowClient client = server.client;
    for (ChaosScript s : scripts) {
      int n = Integer.parseInt(s.name().substring("chaos-".length()));
      Path flagFile = dir.resolve("flags").resolve(s.name() + ".json");
      Files.createDirectories(flagFile.getParent());
      Files.writeString(flagFile, "{\"" + ChaosScript.FLAG_FILE_BASELINE_FLAG + "\": true}");
      if (s.breaksAt() != null) targets.breakAt(s.name(), s.breaksAt());
      Plan plan = Plans.parse(s.yaml(targets.base(), flagFile.toString(), dir.resolve("migrations").toString(), connection(n)), s.name() + ".yaml");
      String id = RolloutIds.forPlan(plan);
      RolloutWorkflow stub = client.newWorkflowStub(RolloutWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(RolloutWorkflow.TASK_QUEUE)
              .build());
      startOnce(stub, new RolloutRequest(id, plan, "chaos-starter", s.name() + ".yaml"));
      RolloutDriver driver = new RolloutDriver(client, id);
      ChaosRollout rollout = new ChaosRollout(s, plan, id, flagFile, s.migrates() ? run + "_db" + n : null, driver);
      rollouts.add(rollout);
      Thread t = new Thread(driver, "driver-" + s.name());
      t.setDaemon(true);
      t.start();
      drivers.add(t);
    }
  }

  /** For each rollout still running: its last history events, so a hang says where it stopped. */
  private String stuck() {
    StringBuilder out = new StringBuilder();
    for (ChaosRollout r : rollouts) {
      if (r.driver().result != null || r.driver().failure != null) continue;
      List<HistoryEvent> events = server.client.fetchHistory(r.rolloutId()).getHistory().getEventsList();
      out.append("  ").append(r.rolloutId()).append(" ").append(r.script()).append(" last events: ");
      events.subList(Math.max(0, events.size() - 4), events.size())
          .forEach(e -> out.append(e.getEventId()).append(' ').append(e.getEventType().name().replace("EVENT_TYPE_", "")).append("; "));
      out.append('\n');
      if (Boolean.getBoolean("chaos.timeline")) {
        long t0 = events.get(0).getEventTime().getSeconds() * 1000 + events.get(0).getEventTime().getNanos() / 1_000_000;
        for (HistoryEvent e : events) {
          long t = e.getEventTime().getSeconds() * 1000 + e.getEventTime().getNanos() / 1_000_000;
          String detail = e.hasActivityTaskScheduledEventAttributes() ? e.getActivityTaskScheduledEventAttributes().getActivityType().getName() : "";
          out.append(String.format("    %6d ms %3d %s %s%n", t - t0, e.getEventId(), e.getEventType().name().replace("EVENT_TYPE_", ""), detail));
        }
      }
    }
    return out.toString();
  }

  /** Starts the rollout; a start that timed out but got through is not started twice (same id). */
  private static void startOnce(RolloutWorkflow stub, RolloutRequest request) {
    for (int attempt = 1; ; attempt++) {
      try {
        WorkflowClient.start(stub::run, request);
        return;
      } catch (WorkflowExecutionAlreadyStarted started) {
        return;
      } catch (WorkflowServiceException slow) {
        if (attempt == 5) throw slow;
      }
    }
  }

  private boolean allEnded() {
    return running() == 0;
  }

  private long running() {
    return rollouts.stream().filter(r -> r.driver().result == null && r.driver().failure == null).count();
  }

  /** The start-to-close timeout the server was given for the first traffic step. */
  private int scheduledStepTimeoutSeconds(String rolloutId) {
    for (HistoryEvent e : server.client.fetchHistory(rolloutId).getHistory().getEventsList()) {
      if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
          && e.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals("SetWeight")) {
        return (int) e.getActivityTaskScheduledEventAttributes().getStartToCloseTimeout().getSeconds();
      }
    }
    return -1;
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (worker != null) worker.close();
    if (server != null) server.close();
    if (targets != null) targets.close();
    for (String db : databases) SharedPostgres.admin("drop database if exists " + db + " with (force)");
    SharedPostgres.admin("drop database if exists " + ledgerDatabase + " with (force)");
  }
}
