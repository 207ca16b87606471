package dev.rollout.activities.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.activities.LocalHttpServer;
import dev.rollout.activities.health.HealthActivitiesImpl;
import dev.rollout.activities.notify.NotificationActivitiesImpl;
import dev.rollout.activities.notify.log.LogSender;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Plans;
import dev.rollout.workflow.HistoryText;
import dev.rollout.workflow.Outcome;
import dev.rollout.workflow.RolloutIds;
import dev.rollout.workflow.RolloutRequest;
import dev.rollout.workflow.RolloutResult;
import dev.rollout.workflow.RolloutWorkflow;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.temporal.client.WorkflowOptions;
import dev.rollout.workflow.RolloutTestEnvironment;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A Deployment holding a known secret as a literal env value; a rollout changes that variable,
 * fails its health check and rolls back. The variable is back to the secret, and the secret is
 * nowhere in the workflow's history: the current-state read keeps names only, and
 * what the env step replaced waited on the Deployment, not in history.
 */
@EnableKubernetesMockClient(crud = true)
class EnvRedactionRolloutTest {
  static final String SECRET = "K8sLiteralS3cret-41f7";
  static final String UNTOUCHED = "UntouchedApiKey-9c2e";

  KubernetesClient client;
  TestWorkflowEnvironment env;
  volatile boolean controllerRuns = true;

  @AfterEach
  void stop() {
    controllerRuns = false;
    if (env != null) env.close();
    client.close();
  }

  @Test
  void noLiteralEnvValueEntersHistoryAndTheRollbackRestoresIt() throws Exception {
    // Generous timeouts: CI's loaded cores have made the mock's first connection take over 10 s.
    client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
        .withConnectionTimeout(120_000).withRequestTimeout(120_000).build()).build();
    DeploymentFixtures.create(client, "shop", "api", "api:1.0", 2);
    EnvVar fromSecret = new EnvVarBuilder().withName("TOKEN").withNewValueFrom().withNewSecretKeyRef()
        .withName("api-secrets").withKey("token").endSecretKeyRef().endValueFrom().build();
    client.apps().deployments().inNamespace("shop").withName("api").edit(d -> {
      d.getSpec().getTemplate().getSpec().getContainers().get(0)
          .setEnv(List.of(new EnvVar("DB_PASSWORD", SECRET, null), new EnvVar("API_KEY", UNTOUCHED, null), fromSecret));
      return d;
    });
    DeploymentFixtures.markRolledOut(client, "shop", "api");
    Thread controller = controller();

    try (LocalHttpServer app = new LocalHttpServer(() -> 503)) {
      env = RolloutTestEnvironment.builder().activities(
          new DeployActivitiesImpl(client, new KubernetesSettings(Duration.ofSeconds(30), Duration.ofMillis(20))),
          new HealthActivitiesImpl(),
          new NotificationActivitiesImpl(List.of(new LogSender()), Clock.systemUTC())).start().env();

      Plan plan = Plans.parse(plan(app.url("/health")), "env-redaction.yaml");
      String id = RolloutIds.forPlan(plan);
      RolloutWorkflow workflow = env.getWorkflowClient().newWorkflowStub(RolloutWorkflow.class,
          WorkflowOptions.newBuilder().setTaskQueue(RolloutWorkflow.TASK_QUEUE).setWorkflowId(id).build());
      RolloutResult result = workflow.run(new RolloutRequest(id, plan, "it", "env-redaction.yaml"));

      assertThat(result.outcome()).as(result.reason()).isEqualTo(Outcome.ROLLED_BACK);
      Deployment after = client.apps().deployments().inNamespace("shop").withName("api").get();
      List<EnvVar> vars = after.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
      assertThat(vars).contains(new EnvVar("DB_PASSWORD", SECRET, null), new EnvVar("API_KEY", UNTOUCHED, null), fromSecret);
      assertThat(vars).noneMatch(v -> v.getName().equals("FEATURE_X"));
      assertThat(after.getMetadata().getAnnotations()).as("the saved values are gone once restored")
          .doesNotContainKey(EnvStash.key(id));

      String history = HistoryText.of(env.getWorkflowClient().fetchHistory(id));
      assertThat(history).contains("DB_PASSWORD").contains("(set; value not recorded)");
      assertThat(history).doesNotContain(SECRET).doesNotContain(UNTOUCHED).doesNotContain("api-secrets");
    } finally {
      controllerRuns = false;
      controller.join(5_000);
    }
  }

  /** Plays the Deployment controller: whatever spec is written is reported rolled out. */
  private Thread controller() {
    Thread t = new Thread(() -> {
      while (controllerRuns) {
        try {
          Deployment d = client.apps().deployments().inNamespace("shop").withName("api").get();
          Long generation = d.getMetadata().getGeneration();
          if (generation != null && !generation.equals(d.getStatus().getObservedGeneration())) {
            DeploymentFixtures.markRolledOut(client, "shop", "api");
          }
        } catch (RuntimeException conflict) {
          // The rollout changed the Deployment meanwhile (409) or the server was slow: look again
          // on the next pass, as a real controller requeues, instead of ending this thread.
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "deployment-controller");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static String plan(String healthUrl) {
    return """
        apiVersion: rollout.dev/v1
        name: env-redaction
        version: 2.0.0
        targets:
          - { service: shop, environment: test }
        resources:
          workloads:
            api: { namespace: shop, deployment: api, container: app }
        phases:
          - name: rotate
            steps:
              - { kind: env, workload: api, env: { DB_PASSWORD: "rotated-by-plan", FEATURE_X: "on" } }
              - { kind: health, url: "%s", failureThreshold: 1, interval: 100ms, timeout: 5s }
        """.formatted(healthUrl);
  }
}
