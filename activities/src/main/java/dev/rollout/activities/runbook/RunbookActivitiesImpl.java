package dev.rollout.activities.runbook;

import dev.rollout.activities.RunbookActivities;
import dev.rollout.activities.support.Failures;
import dev.rollout.activities.support.Processes;
import dev.rollout.activities.support.Secrets;
import dev.rollout.plan.Step;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/** Runbook steps for real: Jobs through fabric8, allowed commands as processes, admin API calls. */
public class RunbookActivitiesImpl implements RunbookActivities {
  /** The error type of a command the worker does not allow. */
  public static final String NOT_ALLOWED = "CommandNotAllowed";
  private static final int BODY_START = 500;

  private final KubernetesClient kubernetes;
  private final CommandAllowList allowed;
  private final Secrets secrets;
  private final Duration jobPoll;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public RunbookActivitiesImpl(KubernetesClient kubernetes, CommandAllowList allowed, Secrets secrets, Duration jobPoll) {
    this.kubernetes = kubernetes;
    this.allowed = allowed;
    this.secrets = secrets;
    this.jobPoll = jobPoll;
  }

  @Override
  public RunResult runJob(String rolloutId, String key, Step.Run.Job job, Duration timeout) {
    try {
      return new JobRunner(kubernetes, jobPoll).run(rolloutId, key, job, timeout);
    } catch (TimeoutException e) {
      throw Failures.nonRetryable("RunTimedOut", e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.retryable("job " + job.image(), e);
    }
  }

  @Override
  public RunResult runCommand(String rolloutId, String key, String command, Duration timeout) {
    List<String> argv = allowed.argv(command).orElseThrow(() -> Failures.nonRetryable(NOT_ALLOWED,
        "command '" + command + "' is not on this worker's allow-list (rollout.worker.runbook-commands; allowed: "
            + (allowed.ids().isEmpty() ? "none" : String.join(", ", allowed.ids())) + ")", null));
    try {
      Processes.Result r = Processes.run(argv, Map.of("ROLLOUT_ID", rolloutId, "ROLLOUT_STEP_KEY", key), timeout);
      return new RunResult(r.exitCode(), Tails.of(r.stdout() + (r.stderr().isEmpty() ? "" : "\n" + r.stderr())));
    } catch (IOException e) {
      throw Failures.nonRetryable("RunFailed", "command '" + command + "': " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.retryable("command " + command, e);
    }
  }

  @Override
  public HttpResult call(String rolloutId, String key, HttpRequest request, Duration timeout) {
    var builder = java.net.http.HttpRequest.newBuilder(URI.create(request.url()))
        .timeout(timeout)
        .header("Idempotency-Key", rolloutId + "/" + key)
        .method(request.method(), request.body() == null ? BodyPublishers.noBody() : BodyPublishers.ofString(request.body()));
    if (request.body() != null) builder.header("Content-Type", "application/json");
    Step.Http.SecretHeader secret = request.secretHeader();
    if (secret != null) builder.header(secret.header(), secrets.require(secret.secret()));
    try {
      var response = http.send(builder.build(), BodyHandlers.ofString());
      String body = response.body() == null ? "" : response.body();
      return new HttpResult(response.statusCode(), body.length() <= BODY_START ? body : body.substring(0, BODY_START));
    } catch (IOException e) {
      throw Failures.retryable(request.method() + " " + request.url(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.retryable(request.method() + " " + request.url(), e);
    }
  }
}
