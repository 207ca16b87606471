package dev.rollout.activities.runbook;

import dev.rollout.activities.RunbookActivities.RunResult;
import dev.rollout.activities.support.Heartbeat;
import dev.rollout.plan.Step;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Runs a Kubernetes Job to completion. Its name comes from the rollout and the step key, so a retry
 * finds the Job the first attempt created and waits for it instead of running it twice.
 */
final class JobRunner {
  private final KubernetesClient kubernetes;
  private final Duration poll;

  JobRunner(KubernetesClient kubernetes, Duration poll) {
    this.kubernetes = kubernetes;
    this.poll = poll;
  }

  /** {@code rollout-<12 hex of a hash of rollout id and key>}: stable, short, a valid DNS label. */
  static String jobName(String rolloutId, String key) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest((rolloutId + "/" + key).getBytes(StandardCharsets.UTF_8));
      return "rollout-run-" + HexFormat.of().formatHex(hash).substring(0, 12);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  RunResult run(String rolloutId, String key, Step.Run.Job spec, Duration timeout)
      throws TimeoutException, InterruptedException {
    String name = jobName(rolloutId, key);
    var jobs = kubernetes.batch().v1().jobs().inNamespace(spec.namespace());
    if (jobs.withName(name).get() == null) {
      try {
        jobs.resource(job(name, rolloutId, key, spec)).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) throw e; // created by an attempt racing this one: wait for it
      }
    }
    Heartbeat heartbeat = Heartbeat.current();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Job job = jobs.withName(name).get();
      var status = job == null ? null : job.getStatus();
      if (status != null && status.getSucceeded() != null && status.getSucceeded() > 0) {
        return new RunResult(0, logs(spec.namespace(), name));
      }
      if (status != null && status.getFailed() != null && status.getFailed() > 0) {
        return new RunResult(exitCode(spec.namespace(), name), logs(spec.namespace(), name));
      }
      if (System.nanoTime() > deadline) {
        jobs.withName(name).delete();
        throw new TimeoutException("job " + spec.namespace() + "/" + name + " did not finish within " + timeout
            + " and was deleted");
      }
      heartbeat.beat("job " + name + " running");
      Thread.sleep(poll.toMillis());
    }
  }

  private static Job job(String name, String rolloutId, String key, Step.Run.Job spec) {
    return new JobBuilder()
        .withNewMetadata().withName(name).withNamespace(spec.namespace())
            .addToLabels("app.kubernetes.io/managed-by", "rollout-orchestrator")
            .addToAnnotations("rollout.dev/rollout", rolloutId).addToAnnotations("rollout.dev/step", key)
        .endMetadata()
        .withNewSpec().withBackoffLimit(0)
            .withNewTemplate().withNewSpec().withRestartPolicy("Never").withServiceAccountName(spec.serviceAccount())
                .addNewContainer().withName("run").withImage(spec.image()).withArgs(spec.args()).endContainer()
            .endSpec().endTemplate()
        .endSpec()
        .build();
  }

  private List<Pod> pods(String namespace, String job) {
    return kubernetes.pods().inNamespace(namespace).withLabel("job-name", job).list().getItems();
  }

  /** The exit code of the Job's container, when its pod reports one; else 1 (the Job failed). */
  private int exitCode(String namespace, String job) {
    for (Pod pod : pods(namespace, job)) {
      if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) continue;
      for (var c : pod.getStatus().getContainerStatuses()) {
        ContainerStateTerminated t = c.getState() == null ? null : c.getState().getTerminated();
        if (t != null && t.getExitCode() != null) return t.getExitCode();
      }
    }
    return 1;
  }

  private String logs(String namespace, String job) {
    StringBuilder out = new StringBuilder();
    for (Pod pod : pods(namespace, job)) {
      try {
        String log = kubernetes.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).getLog();
        if (log != null) out.append(log);
      } catch (KubernetesClientException e) {
        out.append("(log of ").append(pod.getMetadata().getName()).append(" unavailable: ").append(e.getMessage()).append(")\n");
      }
    }
    return Tails.of(out.toString());
  }
}
