package dev.rollout.activities.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.activities.flags.FlagActivitiesImpl;
import dev.rollout.activities.flags.FlagStores;
import dev.rollout.activities.flags.file.JsonFileFlagStore;
import dev.rollout.activities.notify.NotificationActivitiesImpl;
import dev.rollout.activities.notify.log.LogSender;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Plans;
import dev.rollout.workflow.Actions;
import dev.rollout.workflow.Outcome;
import dev.rollout.workflow.RolloutIds;
import dev.rollout.workflow.RolloutRequest;
import dev.rollout.workflow.RolloutResult;
import dev.rollout.workflow.RolloutState;
import dev.rollout.workflow.RolloutWorkflow;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import dev.rollout.workflow.RolloutTestEnvironment;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real workflow with the real Deployment and flag activities, on fabric8's mock API server
 * (CRUD mode; a thread plays the Deployment controller) and a JSON flag file: a rollback returns a
 * workload to the image recorded as stable when the rollout began, not to the one before the failing
 * step; a Deployment or flag not in the state the first change expects stops the rollout before it
 * changes anything, unless the plan says to adopt the live state; rollbackValues win.
 */
@EnableKubernetesMockClient(crud = true)
class StableAtStartWorkflowTest {
  /** The extension's client, per test; only its configuration is used (see {@link #start}). */
  KubernetesClient mockClient;
  /** This test's own client to this test's mock server, with deadlines a loaded machine can meet. */
  KubernetesClient client;
  @TempDir Path dir;
  TestWorkflowEnvironment env;
  Thread controller;
  final AtomicBoolean running = new AtomicBoolean(true);
  /** How long a rollout's result is waited for: a rollout that never ends fails the test, not hangs it. */
  static final Duration RESULT_DEADLINE = Duration.ofMinutes(5);
  /** Someone else's rollout of "busy" that the controller has not finished. */
  final AtomicBoolean controllerSkipsBusy = new AtomicBoolean(true);

  @BeforeEach
  void start() throws InterruptedException {
    // Each test has its own mock server (the extension's, per test) and its own client to it. On a
    // loaded machine the mock server's first connection took over the client's default 10 s (in
    // whichever test ran first in the JVM): connect with a longer timeout, and wait for the server
    // to answer (with a deadline) before anything else talks to it.
    client = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(
        new io.fabric8.kubernetes.client.ConfigBuilder(mockClient.getConfiguration())
            .withConnectionTimeout(60_000).withRequestTimeout(60_000).build()).build();
    awaitMockServer();
    env = RolloutTestEnvironment.builder().activities(
        new DeployActivitiesImpl(client, new KubernetesSettings(Duration.ofSeconds(30), Duration.ofMillis(50))),
        new FlagActivitiesImpl(new FlagStores(List.of(new JsonFileFlagStore()))),
        new NotificationActivitiesImpl(List.of(new LogSender()), Clock.systemUTC())).start().env();
    // No controller runs in the mock: this one rolls out every spec change the API server accepts.
    controller = new Thread(() -> {
      while (running.get()) {
        List<Deployment> all;
        try {
          all = client.apps().deployments().inNamespace("shop").list().getItems();
        } catch (RuntimeException slow) {
          all = List.of(); // a slow mock server: look again after the pause
        }
        for (Deployment d : all) {
          Long observed = d.getStatus() == null ? null : d.getStatus().getObservedGeneration();
          if (observed != null && observed < d.getMetadata().getGeneration() 
              && !(controllerSkipsBusy.get() && d.getMetadata().getName().startsWith("busy"))) {
            try {
              DeploymentFixtures.markRolledOut(client, "shop", d.getMetadata().getName());
            } catch (RuntimeException conflict) {
              // The rollout changed the Deployment meanwhile (409) or the server was slow: look
              // again on the next pass, as a real controller requeues. An escaping exception
              // ended this thread once, and the rollout's deploy then never became ready.
            }
          }
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "deployment-controller");
    controller.start();
  }

  @AfterEach
  void stop() throws Exception {
    running.set(false);
    if (controller != null) {
      controller.join(60_000);
      assertThat(controller.isAlive()).as("the controller thread stopped before the next test").isFalse();
    }
    if (env != null) env.close();
    client.close();
  }

  private void awaitMockServer() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      try {
        client.apps().deployments().inNamespace("shop").list();
        return;
      } catch (RuntimeException notYet) {
        if (System.nanoTime() > deadline) throw new AssertionError("the mock API server did not answer within 120 s", notYet);
        Thread.sleep(200);
      }
    }
  }

  @Test
  void aRollbackReturnsTheWorkloadToTheImageItRanWhenTheRolloutBeganNotTheOneBeforeTheFailingStep() throws Exception {
    DeploymentFixtures.create(client, "shop", "api", "api:1.0", 3);
    String plan = plan("api", "", """
          - name: one
            steps:
              - { kind: deploy, workload: api, image: "api:2.0" }
          - name: two
            steps:
              - { kind: deploy, workload: api, image: "api:3.0" }
            bake: 1h
        """);
    RolloutWorkflow workflow = begin(plan);
    awaitState(workflow, RolloutState.BAKING);
    assertThat(image("api")).isEqualTo("api:3.0");

    workflow.abort(new Actions.Abort("alice", "v3 looks wrong", "sre"));
    RolloutResult result = WorkflowClient.newInstance(env.getWorkflowService())
        .newUntypedWorkflowStub(workflowId(plan)).getResult(RESULT_DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS, RolloutResult.class);

    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(image("api")).as("stable as recorded at the start, not api:2.0 from before phase two").isEqualTo("api:1.0");
    assertThat(workflow.status().decisions()).anySatisfy(d -> assertThat(d.what()).contains("stable of api recorded: api:1.0"));
  }

  @Test
  void aDeploymentAlreadyRunningThePlansImageStopsTheRolloutBeforeAnythingChanges() throws Exception {
    DeploymentFixtures.create(client, "shop", "api", "api:2.0", 3);
    long generation = generation("api");

    RolloutResult result = run(plan("api", "", deployPhase("api", "api:2.0")));

    assertThat(result.outcome()).isEqualTo(Outcome.STOPPED_BEFORE_CHANGE);
    assertThat(result.reason()).contains("already runs api:2.0", "adoptLiveState");
    assertThat(generation("api")).as("the Deployment was not touched").isEqualTo(generation);
  }

  @Test
  void aDeploymentInTheMiddleOfSomeoneElsesRolloutStopsTheRolloutUnlessThePlanAdoptsTheLiveState() throws Exception {
    DeploymentFixtures.create(client, "shop", "busy", "busy:1.0", 3);
    client.apps().deployments().inNamespace("shop").withName("busy").edit(d -> {
      d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("busy:1.1");
      return d;
    });
    long generation = generation("busy");

    RolloutResult stopped = run(plan("busy", "", deployPhase("busy", "busy:2.0")));
    assertThat(stopped.outcome()).isEqualTo(Outcome.STOPPED_BEFORE_CHANGE);
    assertThat(stopped.reason()).contains("shop/busy", "in the middle of a rollout");
    assertThat(generation("busy")).isEqualTo(generation);
    assertThat(image("busy")).isEqualTo("busy:1.1");

    // Adopting the live state, the rollout goes on from the live spec (the controller now finishes rollouts of it too).
    controllerSkipsBusy.set(false);
    RolloutResult adopted = run(plan("busy", ", adoptLiveState: true", deployPhase("busy", "busy:2.0")));
    assertThat(adopted.outcome()).as(adopted.reason()).isEqualTo(Outcome.COMPLETED);
    assertThat(image("busy")).isEqualTo("busy:2.0");
  }

  @Test
  void aFlagAlreadyAtThePlansValueStopsTheRolloutUnlessThePlanDeclaresItsRollbackValue() throws Exception {
    DeploymentFixtures.create(client, "shop", "web", "web:1.0", 1);
    Path flags = dir.resolve("flags.json");
    Files.writeString(flags, "{\"checkout-v2\": true}");
    String store = "  flagStores:\n    flags: { type: file, path: \"" + flags + "\" }\n";

    RolloutResult stopped = run(plan("web", "", """
          - name: one
            steps:
              - { kind: flags, store: flags, values: { checkout-v2: true } }
        """).replace("resources:\n", "resources:\n" + store));
    assertThat(stopped.outcome()).isEqualTo(Outcome.STOPPED_BEFORE_CHANGE);
    assertThat(stopped.reason()).contains("checkout-v2", "already holds true", "rollbackValues");

    String declared = plan("web", "", """
          - name: one
            steps:
              - { kind: flags, store: flags, values: { checkout-v2: true }, rollbackValues: { checkout-v2: false } }
            bake: 1h
        """).replace("resources:\n", "resources:\n" + store);
    RolloutWorkflow workflow = begin(declared);
    awaitState(workflow, RolloutState.BAKING);
    workflow.abort(new Actions.Abort("alice", "test over", "sre"));
    RolloutResult result = WorkflowClient.newInstance(env.getWorkflowService())
        .newUntypedWorkflowStub(workflowId(declared)).getResult(RESULT_DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS, RolloutResult.class);
    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(Files.readString(flags).replaceAll("\\s", "")).contains("\"checkout-v2\":false");
  }

  private static String deployPhase(String workload, String image) {
    return """
          - name: one
            steps:
              - { kind: deploy, workload: %s, image: "%s" }
        """.formatted(workload, image);
  }

  private static String plan(String workload, String workloadExtra, String phases) {
    return """
        apiVersion: rollout.dev/v1
        name: stable-at-start
        version: 1.0.0
        targets:
          - { service: %1$s, environment: mock }
        roles: [sre]
        resources:
          workloads:
            %1$s: { namespace: shop, deployment: %1$s, container: app%2$s }
          notifiers:
            log: { type: log }
        phases:
        %3$s""".formatted(workload, workloadExtra, phases.stripIndent().indent(2));
  }

  private RolloutResult run(String planText) throws Exception {
    begin(planText);
    return WorkflowClient.newInstance(env.getWorkflowService())
        .newUntypedWorkflowStub(workflowId(planText)).getResult(RESULT_DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS, RolloutResult.class);
  }

  private RolloutWorkflow begin(String planText) throws Exception {
    Path file = dir.resolve("plan-" + System.nanoTime() + ".yaml");
    Files.writeString(file, planText);
    Plan plan = Plans.load(file);
    String id = RolloutIds.forPlan(plan);
    RolloutWorkflow workflow = env.getWorkflowClient().newWorkflowStub(RolloutWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(RolloutWorkflow.TASK_QUEUE).setWorkflowId(id).build());
    WorkflowClient.start(workflow::run, new RolloutRequest(id, plan, "it", file.toString()));
    return env.getWorkflowClient().newWorkflowStub(RolloutWorkflow.class, id);
  }

  private String workflowId(String planText) throws Exception {
    Path file = dir.resolve("id-" + System.nanoTime() + ".yaml");
    Files.writeString(file, planText);
    return RolloutIds.forPlan(Plans.load(file));
  }

  private static void awaitState(RolloutWorkflow workflow, RolloutState state) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    RolloutState last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = workflow.status().state();
        if (last == state) return;
      } catch (RuntimeException notYet) {
        // the first workflow task has not run yet
      }
      Thread.sleep(50);
    }
    throw new AssertionError("never reached " + state + " within 60 s; last " + last);
  }

  private String image(String name) {
    return client.apps().deployments().inNamespace("shop").withName(name).get()
        .getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  private long generation(String name) {
    return client.apps().deployments().inNamespace("shop").withName(name).get().getMetadata().getGeneration();
  }
}
