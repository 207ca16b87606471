package dev.rollout.activities.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import dev.rollout.activities.RunbookActivities.HttpRequest;
import dev.rollout.activities.RunbookActivities.HttpResult;
import dev.rollout.activities.RunbookActivities.RunResult;
import dev.rollout.activities.support.Secrets;
import dev.rollout.plan.Step;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.AfterEach;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.temporal.failure.ApplicationFailure;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class RunbookActivitiesImplTest {
  KubernetesClient client;

  private static final Step.Run.Job WARM_CACHE =
      new Step.Run.Job("dealerscope", "registry.local/dealerscope-tools:5.0.0", List.of("warm-cache", "--all"), null);

  /**
   * Reading a pod's log makes fabric8 watch the pod first (until ready or terminal, even with no
   * wait), and the mock server's handler for that watch's close blocks its event loop for up to
   * ~20 s. The event loop is shared by the mock servers of the JVM: the extension's shutdown of
   * this test's server, or the next test's first requests, then timed out. Wait here (runs before
   * the extension's shutdown) until the server answers again.
   */
  @AfterEach
  void waitForTheMockServerToFinishClosingWatches() {
    try (KubernetesClient patient = new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
        .withConnectionTimeout(120_000).withRequestTimeout(120_000).build()).build()) {
      patient.batch().v1().jobs().inNamespace("dealerscope").list();
    }
  }

  private RunbookActivitiesImpl runbook(Map<String, List<String>> allowed) {
    return new RunbookActivitiesImpl(client, new CommandAllowList(allowed),
        new Secrets(Map.of("ADMIN_TOKEN", "s3cret-token")), Duration.ofMillis(20));
  }

  /** Plays the Job controller: when the Job appears, runs its pod to {@code exitCode}. */
  private void finishJobWhenCreated(String name, int exitCode) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Job job;
    while ((job = client.batch().v1().jobs().inNamespace("dealerscope").withName(name).get()) == null) {
      assertThat(System.nanoTime()).as("the Job was created in time").isLessThan(deadline);
      Thread.sleep(20);
    }
    client.pods().inNamespace("dealerscope").resource(new PodBuilder()
        .withNewMetadata().withName(name + "-pod").addToLabels("job-name", name).endMetadata()
        .withNewStatus().addNewContainerStatus().withName("run")
            .withNewState().withNewTerminated().withExitCode(exitCode).endTerminated().endState()
        .endContainerStatus().endStatus().build()).create();
    job.setStatus(exitCode == 0 ? new JobStatusBuilder().withSucceeded(1).build() : new JobStatusBuilder().withFailed(1).build());
    client.batch().v1().jobs().inNamespace("dealerscope").resource(job).updateStatus();
  }

  @Test
  void aJobRunsToCompletionOnceAndItsExitDecides() throws Exception {
    String name = JobRunner.jobName("rollout-dealerscope.production", "p1s3");
    var run = CompletableFuture.supplyAsync(
        () -> runbook(Map.of()).runJob("rollout-dealerscope.production", "p1s3", WARM_CACHE, Duration.ofSeconds(30)));
    finishJobWhenCreated(name, 0);

    RunResult result = run.get(90, TimeUnit.SECONDS);

    assertThat(result.ok()).isTrue();
    Job job = client.batch().v1().jobs().inNamespace("dealerscope").withName(name).get();
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).containsExactly("warm-cache", "--all");
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    // a retry of the same step finds the finished Job: no second Job is created
    assertThat(runbook(Map.of()).runJob("rollout-dealerscope.production", "p1s3", WARM_CACHE, Duration.ofSeconds(5)).ok()).isTrue();
    assertThat(client.batch().v1().jobs().inNamespace("dealerscope").list().getItems()).hasSize(1);
  }

  @Test
  void aFailedJobReportsItsContainersExitCode() throws Exception {
    String name = JobRunner.jobName("r", "p2s1");
    var run = CompletableFuture.supplyAsync(() -> runbook(Map.of()).runJob("r", "p2s1", WARM_CACHE, Duration.ofSeconds(30)));
    finishJobWhenCreated(name, 3);

    RunResult result = run.get(90, TimeUnit.SECONDS);

    assertThat(result.ok()).isFalse();
    assertThat(result.exitCode()).isEqualTo(3);
  }

  @Test
  void anAllowedCommandRunsForRealWithItsKeyAndItsExitDecides() {
    RunbookActivitiesImpl runbook = runbook(Map.of(
        "print-key", List.of("printenv", "ROLLOUT_STEP_KEY"),
        "fail", List.of("false")));

    RunResult printed = runbook.runCommand("r", "p4s2", "print-key", Duration.ofSeconds(10));
    RunResult failed = runbook.runCommand("r", "p4s3", "fail", Duration.ofSeconds(10));

    assertThat(printed.ok()).isTrue();
    assertThat(printed.logTail()).isEqualTo("p4s2");
    assertThat(failed.ok()).isFalse();
    assertThat(failed.exitCode()).isEqualTo(1);
  }

  @Test
  void aCommandNotOnTheAllowListIsRefusedNamingTheAllowedOnes() {
    RunbookActivitiesImpl runbook = runbook(Map.of("rollback-script", List.of("true")));

    ApplicationFailure refused = catchThrowableOfType(
        () -> runbook.runCommand("r", "p1s1", "rm -rf /", Duration.ofSeconds(10)), ApplicationFailure.class);

    assertThat(refused.getType()).isEqualTo(RunbookActivitiesImpl.NOT_ALLOWED);
    assertThat(refused.isNonRetryable()).isTrue();
    assertThat(refused.getOriginalMessage()).isEqualTo(
        "command 'rm -rf /' is not on this worker's allow-list (rollout.worker.runbook-commands; allowed: rollback-script)");
  }

  @Test
  void anHttpStepSendsTheSecretHeaderAndAnIdempotencyKeyButNeverReturnsThem() throws Exception {
    AtomicReference<String> auth = new AtomicReference<>();
    AtomicReference<String> key = new AtomicReference<>();
    AtomicReference<String> body = new AtomicReference<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/admin/feature-flags", exchange -> {
      auth.set(exchange.getRequestHeaders().getFirst("Authorization"));
      key.set(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
      body.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      byte[] answer = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/admin/feature-flags";
      HttpResult result = runbook(Map.of()).call("rollout-dealerscope.production", "p4r1",
          new HttpRequest("POST", url, "{\"FF_EMERGENCY_ROLLBACK\": true}", 200,
              new Step.Http.SecretHeader("Authorization", "ADMIN_TOKEN")), Duration.ofSeconds(10));

      assertThat(result.status()).isEqualTo(200);
      assertThat(auth.get()).isEqualTo("s3cret-token");
      assertThat(key.get()).isEqualTo("rollout-dealerscope.production/p4r1");
      assertThat(body.get()).isEqualTo("{\"FF_EMERGENCY_ROLLBACK\": true}");
      assertThat(result.toString()).doesNotContain("s3cret-token");
    } finally {
      server.stop(0);
    }
  }
}
