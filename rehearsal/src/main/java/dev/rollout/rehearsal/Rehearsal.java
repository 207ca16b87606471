package dev.rollout.rehearsal;

import dev.rollout.payload.RolloutPayloads;
import dev.rollout.plan.Phase;
import dev.rollout.plan.Plan;
import dev.rollout.testserver.TestServerLockLog;
import dev.rollout.workflow.RolloutBrief;
import dev.rollout.workflow.RolloutIds;
import dev.rollout.workflow.RolloutRequest;
import dev.rollout.workflow.RolloutResult;
import dev.rollout.workflow.RolloutSearchAttributes;
import dev.rollout.workflow.RolloutState;
import dev.rollout.workflow.RolloutStatus;
import dev.rollout.workflow.RolloutWorkflow;
import dev.rollout.workflow.RolloutWorkflows;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a plan against the recording activities in Temporal's time-skipping test server: weeks of
 * bakes pass in a second. Answers people's waits as the {@link Scenario} says (by default approves
 * with synthetic identities {@code rehearsal-<role>}, never the starter), and returns the result
 * with the timeline of calls.
 *
 * <pre>
 * RehearsalResult r = Rehearsal.run(plan, Scenario.HAPPY);
 * try (Rehearsal rehearsal = Rehearsal.open(scenario)) { ... rehearsal.start(plan); rehearsal.drive(); }
 * </pre>
 */
public final class Rehearsal implements AutoCloseable {
  public static final String STARTER = "rehearsal-starter";

  /**
   * How far the rehearsal lets simulated time run when it knows of nothing sooner. While steps run
   * the test server's clock moves in real time, and it skips ahead as soon as the rollout waits; so
   * a tick ends early in real time, and people's answers come at most a tick after they are asked.
   */
  static final Duration TICK = Duration.ofSeconds(1);

  private final TestWorkflowEnvironment env;
  private final RehearsalWorld world;
  private final Worker worker;
  private RolloutWorkflow workflow;
  private Plan plan;
  private String workflowId;
  /**
   * Count and nanoseconds of the driver's reads, answers and waits ({@link RehearsalResult.Driving}),
   * each at its index ({@link #READ}, {@link #ANSWER}, {@link #WAIT}) and the one after.
   */
  private final long[] driving = new long[6];
  private static final int READ = 0;
  private static final int ANSWER = 2;
  private static final int WAIT = 4;
  private Instant startedAt;
  private long startedNanos;
  private long startedCpuNanos;

  private Rehearsal(Scenario scenario, com.uber.m3.tally.Scope metrics) {
    world = new RehearsalWorld(scenario);
    // The worker's and the API's payload format (no null fields), so a rehearsal runs what runs.
    TestEnvironmentOptions.Builder options = TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setDataConverter(RolloutPayloads.CONVERTER).build());
    if (metrics != null) options.setMetricsScope(metrics);
    if (scenario.start() != null) options.setInitialTime(scenario.start());
    env = TestWorkflowEnvironment.newInstance(options.build());
    TestServerLockLog.forget(env); // else every task of the rollout costs more than the last
    // The workflow upserts these; unregistered, it would stall.
    RolloutSearchAttributes.registerOn(env);
    // A busy machine can hold a cold first workflow task past the 1 s deadlock detector.
    worker = env.newWorker(RolloutWorkflow.TASK_QUEUE,
        WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(10_000).build());
    RolloutWorkflows.registerOn(worker);
    RecordingMetrics recordingMetrics = new RecordingMetrics(world);
    worker.registerActivitiesImplementations(
        new RecordingTraffic(world), new RecordingFlags(world), new RecordingDeploy(world),
        new RecordingDatabase(world), new RecordingHealth(world), recordingMetrics,
        new RecordingNotifications(world), new RecordingRunbook(world));
    // Trigger watches run on their own task queue, as on a real worker.
    env.newWorker(RolloutWorkflow.watchTaskQueue(RolloutWorkflow.TASK_QUEUE))
        .registerActivitiesImplementations(recordingMetrics);
  }

  /** A rehearsal environment, not started; register more on {@link #worker()} before {@link #start}. */
  public static Rehearsal open(Scenario scenario) {
    return new Rehearsal(scenario, null);
  }

  /** A rehearsal environment whose workers and workflows report metrics to {@code metrics}. */
  public static Rehearsal open(Scenario scenario, com.uber.m3.tally.Scope metrics) {
    return new Rehearsal(scenario, metrics);
  }

  /** Rehearses {@code plan} under {@code scenario} from start to end. */
  public static RehearsalResult run(Plan plan, Scenario scenario) {
    try (Rehearsal r = open(scenario)) {
      r.start(plan, STARTER);
      return r.drive();
    }
  }

  public TestWorkflowEnvironment env() {
    return env;
  }

  public Worker worker() {
    return worker;
  }

  public RehearsalWorld world() {
    return world;
  }

  public WorkflowClient client() {
    return env.getWorkflowClient();
  }

  public String workflowId() {
    return workflowId;
  }

  /** Starts the rollout (and the worker, the first time); returns its stub for updates and queries. */
  public RolloutWorkflow start(Plan plan, String startedBy) {
    if (!env.isStarted()) env.start();
    workflowId = RolloutIds.forPlan(plan);
    RolloutWorkflow wf = client().newWorkflowStub(RolloutWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(RolloutWorkflow.TASK_QUEUE).build());
    startedAt = Instant.ofEpochMilli(env.currentTimeMillis());
    world.follow(plan.phases().stream().map(Phase::name).toList(), id -> phaseIndex(id), startedAt);
    startedNanos = System.nanoTime();
    startedCpuNanos = processCpuNanos();
    WorkflowClient.start(wf::run, new RolloutRequest(workflowId, plan, startedBy, "rehearsal"));
    workflow = wf;
    this.plan = plan;
    return wf;
  }

  private int phaseIndex(String id) {
    return client().newWorkflowStub(RolloutWorkflow.class, id).brief().phaseIndex();
  }

  /**
   * Plays the people (as the scenario says) and lets simulated time pass until the rollout ends,
   * or until it waits for an answer nobody will give.
   */
  public RehearsalResult drive() {
    return finish(play(s -> false));
  }

  /**
   * Plays the people and lets simulated time pass until the rollout matches {@code reached} (e.g.
   * it is {@code ROLLBACK_BLOCKED}); returns its whole status then, leaving the rollout running
   * for the caller to act on. Fails when the rollout ends or waits for nobody first.
   */
  public RolloutStatus driveUntil(java.util.function.Predicate<RolloutBrief> reached) {
    RolloutBrief[] seen = new RolloutBrief[1];
    String stuck = play(s -> {
      seen[0] = s;
      return reached.test(s);
    });
    if (seen[0] != null && reached.test(seen[0])) return Deadlines.within("the rollout's status", workflow::status);
    throw new IllegalStateException("the rollout did not get there: "
        + (stuck != null ? stuck : "it ended " + workflow.brief().state()));
  }

  /**
   * The people's loop: null when the rollout ended or {@code stop} matched, else why it is stuck.
   *
   * <p>The loop reads the rollout's {@link RolloutBrief}, never its whole status (which grows with
   * the rollout), and only when it must: not right after an approval (its Update answers with the
   * approvals counted). After any other answer it looks at once, without letting time pass: a
   * person's answer costs no simulated time (issue 13).
   */
  private String play(java.util.function.Predicate<RolloutBrief> stop) {
    People people = new People(world.scenario(), workflow, plan);
    String stuck = null;
    RolloutBrief replied = null;
    while (true) {
      RolloutBrief s = replied;
      replied = null;
      if (s == null) {
        try {
          long began = System.nanoTime();
          s = Deadlines.within("what the rollout is doing", workflow::brief);
          count(READ, began);
        } catch (Deadlines.GaveUp gaveUp) {
          stuck = gaveUp.getMessage();
          break;
        }
      }
      if (stop.test(s)) break;
      if (s.state().terminal()) break;
      Instant now = Instant.ofEpochMilli(env.currentTimeMillis());
      Instant next;
      try {
        long began = System.nanoTime();
        next = people.answer(s);
        if (next == People.ANSWERED) count(ANSWER, began);
      } catch (IllegalStateException refused) {
        stuck = refused.getMessage();
        break;
      }
      if (next == People.ANSWERED) {
        // Look again at once, letting no time pass: the rollout acts on an answer in the workflow
        // task that accepted it (a confirmed item opens the next one before the answer returns).
        // A wait that still shows is then PENDING, and one tick passes.
        replied = people.takeApprovalReply();
        // A person working down a checklist confirms the next item without looking first.
        while (replied == null) {
          long began = System.nanoTime();
          if (people.answerNext() != People.ANSWERED) break;
          count(ANSWER, began);
        }
        // The last item confirmed is followed by a step that works: the rollout runs it now.
        if (replied == null && people.takeWorkFollows()) {
          long began = System.nanoTime();
          env.sleep(TICK.plusMillis(1));
          count(WAIT, began);
        }
        continue;
      }
      if (next == People.PENDING) next = now.plus(TICK);
      if (next == null) next = nextEvent(s, now);
      if (next == null) {
        stuck = "waits for " + s.waitingFor().kind() + " (" + s.waitingFor().item() + ") that nobody answers";
        break;
      }
      Duration wait = Duration.between(now, next);
      long began = System.nanoTime();
      env.sleep((wait.isNegative() ? Duration.ZERO : wait).plusMillis(1));
      count(WAIT, began);
    }
    return stuck;
  }

  private void count(int what, long began) {
    driving[what]++;
    driving[what + 1] += System.nanoTime() - began;
  }

  /**
   * When the rollout next needs time to pass: a {@link #TICK} past its bake end, window opening or
   * watch end, else one tick (a retry back-off is a timer the status does not show). Past the end,
   * not at it: the server's clock reaches the end before the rollout has acted on its timer, so a
   * look at that instant still shows the wait and costs a read and another tick; a tick past it,
   * the rollout has moved on (while it works the clock runs in real time, and the sleep ends as
   * soon as it waits again).
   */
  private static Instant nextEvent(RolloutBrief s, Instant now) {
    if (s.state() == RolloutState.BAKING && s.bakeEndsAt() != null && s.bakeEndsAt().isAfter(now)) return pastEnd(s.bakeEndsAt(), now);
    if (s.state() == RolloutState.WAITING_FOR_WINDOW && s.windowOpensAt() != null) return pastEnd(s.windowOpensAt(), now);
    if (s.state() == RolloutState.WATCHING && s.waitingFor() != null && s.waitingFor().until() != null) {
      return pastEnd(s.waitingFor().until(), now);
    }
    if (s.waitingFor() != null && s.waitingFor().kind() != RolloutStatus.WaitKind.WINDOW) return null;
    if (s.state() == RolloutState.PAUSED) return null;
    return now.plus(TICK);
  }

  /** A tick past {@code end}, or a tick from now when the end has passed. */
  private static Instant pastEnd(Instant end, Instant now) {
    return (end.isAfter(now) ? end : now).plus(TICK);
  }

  /**
   * Ends the rehearsal: reads the rollout's result, or, when the driver gave up on it ({@code
   * stuck}), terminates it. A driver that gave up after a call's deadline may have given up on a
   * rollout that was only slow: when it has ended meanwhile, the rehearsal reports how it ended,
   * not that it was stuck.
   */
  RehearsalResult finish(String stuck) {
    WorkflowStub stub = WorkflowStub.fromTyped(workflow);
    RolloutResult result = null;
    if (stuck == null) {
      try {
        result = resultWithin(stub);
      } catch (TimeoutException e) {
        stuck = "gave up after " + Deadlines.call().toSeconds() + " s waiting for the result of a rollout that had ended";
      }
    }
    if (stuck != null && endedBeforeTerminated(stub, stuck)) {
      stuck = null;
      try {
        result = resultWithin(stub);
      } catch (TimeoutException e) {
        throw new IllegalStateException("the rollout " + workflowId + " has ended, yet its result did not come within "
            + Deadlines.call().toSeconds() + " s", e);
      }
    }
    Duration wall = Duration.ofNanos(System.nanoTime() - startedNanos);
    Duration cpu = Duration.ofNanos(processCpuNanos() - startedCpuNanos);
    RolloutStatus status = stuck == null ? Deadlines.within("the final status", workflow::status) : null;
    WorkflowExecutionHistory history = client().fetchHistory(workflowId);
    int events = history.getHistory().getEventsCount();
    // When the workflow closed: the test server's clock runs on after it (to the end of a sleep).
    var closed = history.getLastEvent().getEventTime();
    Instant endedAt = Instant.ofEpochSecond(closed.getSeconds(), closed.getNanos());
    var driven = new RehearsalResult.Driving((int) driving[READ], Duration.ofNanos(driving[READ + 1]),
        (int) driving[ANSWER], Duration.ofNanos(driving[ANSWER + 1]), (int) driving[WAIT], Duration.ofNanos(driving[WAIT + 1]));
    return new RehearsalResult(result, status, world.calls(), startedAt, endedAt, wall, cpu, events, stuck, driven);
  }

  private static RolloutResult resultWithin(WorkflowStub stub) throws TimeoutException {
    return stub.getResult(Deadlines.call().toSeconds(), TimeUnit.SECONDS, RolloutResult.class);
  }

  /**
   * Terminates the rollout the driver gave up on; true when there was nothing to terminate because
   * it had ended meanwhile (the server no longer knows it as running).
   */
  private static boolean endedBeforeTerminated(WorkflowStub stub, String stuck) {
    try {
      stub.terminate("rehearsal: " + stuck);
      return false;
    } catch (WorkflowNotFoundException ended) {
      return true;
    }
  }

  /** The CPU time of this whole process so far (every thread: worker, test server, client). */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  @Override
  public void close() {
    env.close();
  }

  /** Synthetic people: never the starter, one person per role. */
  static String personFor(String role) {
    return "rehearsal-" + role;
  }

}
