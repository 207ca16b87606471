package dev.rollout.activities.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.activities.DeployActivities.WorkloadState;
import dev.rollout.plan.Workload;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class DeployActivitiesImplTest {

  KubernetesClient client;
  static final String REDACTED = dev.rollout.activities.DeployActivities.ENV_VALUE_REDACTED;
  final Workload api = new Workload("shop", "api", "app");

  DeployActivitiesImpl deploy(Duration readyTimeout) {
    return new DeployActivitiesImpl(client, new KubernetesSettings(readyTimeout, Duration.ofMillis(50)));
  }

  Deployment get() {
    return client.apps().deployments().inNamespace("shop").withName("api").get();
  }

  /** Plays the Deployment controller: once the spec matches, writes a rolled-out status. */
  void controllerRollsOutWhen(Predicate<Deployment> changed, CompletableFuture<Void> activity) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!changed.test(get())) {
      assertThat(System.nanoTime()).as("the change reached the API server in time").isLessThan(deadline);
      Thread.onSpinWait();
    }
    // The spec changed but no controller has observed it: the activity must still be waiting.
    assertThat(get().getMetadata().getGeneration()).isGreaterThan(get().getStatus().getObservedGeneration());
    assertThat(activity).isNotDone();
    DeploymentFixtures.markRolledOut(client, "shop", "api");
  }

  @Test
  void setImageChangesTheContainerAndWaitsUntilTheControllerReportsReady() throws Exception {
    DeploymentFixtures.create(client, "shop", "api", "api:1.0", 3);
    var deploy = deploy(Duration.ofSeconds(30));

    CompletableFuture<Void> running = CompletableFuture.runAsync(() -> deploy.setImage("r1", "api", api, "api:1.1"));
    controllerRollsOutWhen(d -> "api:1.1".equals(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()), running);
    running.get(20, TimeUnit.SECONDS);

    assertThat(deploy.current("r1", "api", api)).isEqualTo(new WorkloadState("api:1.1", 3, Map.of(), null, true));
  }

  @Test
  void currentTellsARolledOutDeploymentFromOneInTheMiddleOfARolloutAndNamesItsRevision() {
    DeploymentFixtures.create(client, "shop", "api", "api:1.0", 3);
    client.apps().deployments().inNamespace("shop").withName("api").edit(d -> {
      d.getMetadata().setAnnotations(Map.of("deployment.kubernetes.io/revision", "7"));
      return d;
    });
    DeploymentFixtures.markRolledOut(client, "shop", "api");
    var deploy = deploy(Duration.ofSeconds(5));
    assertThat(deploy.current("r1", "api", api)).isEqualTo(new WorkloadState("api:1.0", 3, Map.of(), "7", true));

    // Someone else's rollout: the spec changed, the controller has not rolled it out yet.
    client.apps().deployments().inNamespace("shop").withName("api").edit(d -> {
      d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("api:1.1");
      return d;
    });
    assertThat(deploy.current("r1", "api", api).rolledOut()).isFalse();
    client.apps().deployments().inNamespace("shop").withName("api").editStatus(d -> {
      d.getStatus().setObservedGeneration(d.getMetadata().getGeneration());
      d.getStatus().setUpdatedReplicas(1);
      return d;
    });
    assertThat(deploy.current("r1", "api", api).rolledOut()).as("1 of 3 replicas updated").isFalse();
  }

  @Test
  void aDeploymentThatNeverBecomesReadyFailsNonRetryablyAfterTheTimeout() {
    DeploymentFixtures.create(client, "shop", "api", "api:1.0", 3);
    client.apps().deployments().inNamespace("shop").withName("api").editStatus(d -> {
      d.getStatus().setAvailableReplicas(1);
      return d;
    });

    assertThatThrownBy(() -> deploy(Duration.ofMillis(300)).scale("r1", "api", api, 3))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isTrue())
        .hasMessageContaining("not ready after").hasMessageContaining("1 of 3 updated replicas available");
  }

  @Test
  void setEnvAddsAndRemovesVariablesAsKubectlSetEnvDoes() throws Exception {
    DeploymentFixtures.create(client, "shop", "api", "api:1.0", 2);
    var deploy = deploy(Duration.ofSeconds(30));

    CompletableFuture<Void> on = CompletableFuture.runAsync(
        () -> deploy.setEnv("r1", "api", api, Map.of("FF_EMERGENCY_ROLLBACK", "true", "LOG", "debug")));
    controllerRollsOutWhen(d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().size() == 2, on);
    on.get(20, TimeUnit.SECONDS);
    assertThat(deploy.current("r1", "api", api).env())
        .isEqualTo(Map.of("FF_EMERGENCY_ROLLBACK", REDACTED, "LOG", REDACTED));
    assertThat(envOnTheDeployment()).isEqualTo(Map.of("FF_EMERGENCY_ROLLBACK", "true", "LOG", "debug"));

    Map<String, String> remove = new HashMap<>();
    remove.put("LOG", null);
    CompletableFuture<Void> off = CompletableFuture.runAsync(() -> deploy.setEnv("r1", "api", api, remove));
    controllerRollsOutWhen(d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().size() == 1, off);
    off.get(20, TimeUnit.SECONDS);
    assertThat(deploy.current("r1", "api", api).env()).isEqualTo(Map.of("FF_EMERGENCY_ROLLBACK", REDACTED));
    assertThat(envOnTheDeployment()).isEqualTo(Map.of("FF_EMERGENCY_ROLLBACK", "true"));
  }

  @Test
  void theReadKeepsNamesOnlyAndTheRedactedValueRestoresWhatThisRunReplaced() throws Exception {
    DeploymentFixtures.create(client, "shop", "api", "api:1.0", 2);
    client.apps().deployments().inNamespace("shop").withName("api").edit(d -> {
      d.getSpec().getTemplate().getSpec().getContainers().get(0)
          .setEnv(List.of(new EnvVar("DB_PASSWORD", "Literal-S3cret", null), new EnvVar("KEEP", "same", null)));
      return d;
    });
    DeploymentFixtures.markRolledOut(client, "shop", "api");
    var deploy = deploy(Duration.ofSeconds(30));
    WorkloadState before = deploy.current("r1", "api", api);
    assertThat(before.env()).isEqualTo(Map.of("DB_PASSWORD", REDACTED, "KEEP", REDACTED));
    assertThat(before.toString()).doesNotContain("Literal-S3cret");

    // Twice, as two env steps of one rollout would: the first replaced value is the one kept.
    for (String value : List.of("rotated-1", "rotated-2")) {
      CompletableFuture<Void> change = CompletableFuture.runAsync(() -> deploy.setEnv("r1", "api", api, Map.of("DB_PASSWORD", value, "NEW", "x")));
      controllerRollsOutWhen(d -> envOf(d).get("DB_PASSWORD").equals(value), change);
      change.get(20, TimeUnit.SECONDS);
    }
    assertThat(get().getMetadata().getAnnotations().get(EnvStash.key("r1"))).contains("Literal-S3cret");

    // The compensation, as the workflow builds it from the redacted read.
    Map<String, String> undo = new HashMap<>();
    undo.put("DB_PASSWORD", REDACTED);
    undo.put("NEW", null);
    undo.put("KEEP", REDACTED);
    CompletableFuture<Void> back = CompletableFuture.runAsync(() -> deploy.setEnv("r1", "api", api, undo));
    controllerRollsOutWhen(d -> envOf(d).get("DB_PASSWORD").equals("Literal-S3cret"), back);
    back.get(20, TimeUnit.SECONDS);
    assertThat(envOnTheDeployment()).isEqualTo(Map.of("DB_PASSWORD", "Literal-S3cret", "KEEP", "same"));
    assertThat(get().getMetadata().getAnnotations()).doesNotContainKey(EnvStash.key("r1"));
  }

  private Map<String, String> envOnTheDeployment() {
    return envOf(get());
  }

  private static Map<String, String> envOf(Deployment d) {
    Map<String, String> env = new HashMap<>();
    var vars = d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    if (vars != null) vars.forEach(v -> env.put(v.getName(), v.getValue()));
    return env;
  }

  @Test
  void undoPutsBackThePodTemplateOfThePreviousRevision() throws Exception {
    Deployment d = DeploymentFixtures.create(client, "shop", "api", "api:2.0", 2);
    replicaSet(d, "api-aaa", "1", "api:1.0");
    replicaSet(d, "api-bbb", "2", "api:2.0");
    var deploy = deploy(Duration.ofSeconds(30));

    CompletableFuture<Void> undo = CompletableFuture.runAsync(() -> deploy.undo("r1", "api", api));
    controllerRollsOutWhen(x -> "api:1.0".equals(x.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()), undo);
    undo.get(20, TimeUnit.SECONDS);

    assertThat(get().getSpec().getTemplate().getMetadata().getLabels()).isEqualTo(Map.of("app", "api"));
  }

  @Test
  void undoWithoutAPreviousRevisionAndAMissingDeploymentAreBadInput() {
    DeploymentFixtures.create(client, "shop", "api", "api:2.0", 2);
    var deploy = deploy(Duration.ofSeconds(1));

    assertThatThrownBy(() -> deploy.undo("r1", "api", api)).hasMessageContaining("no previous revision");
    assertThatThrownBy(() -> deploy.setImage("r1", "web", new Workload("shop", "web", null), "web:2"))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isTrue())
        .hasMessageContaining("Deployment shop/web does not exist");
    assertThatThrownBy(() -> deploy.setImage("r1", "api", new Workload("shop", "api", "sidecar"), "x:1"))
        .hasMessageContaining("no container 'sidecar'");
  }

  private void replicaSet(Deployment owner, String name, String revision, String image) {
    client.apps().replicaSets().inNamespace("shop").resource(new ReplicaSetBuilder()
        .withNewMetadata().withName(name).withNamespace("shop")
        .addToAnnotations("deployment.kubernetes.io/revision", revision)
        .addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName("api")
        .withUid(client.apps().deployments().inNamespace("shop").withName("api").get().getMetadata().getUid()).endOwnerReference()
        .endMetadata()
        .withNewSpec().withReplicas(0).withNewSelector().addToMatchLabels("app", "api").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "api").addToLabels("pod-template-hash", name).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec().endTemplate()
        .endSpec().build()).create();
  }
}
