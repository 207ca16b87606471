package dev.rollout.activities;

import dev.rollout.plan.Step;
import io.temporal.activity.ActivityInterface;
import java.time.Duration;

/**
 * Runbook steps: a Kubernetes Job, a command the worker allows by id, an admin API call. Each is
 * idempotent by {@code key} (the step's place in the plan), heartbeats while it runs and gives up
 * after {@code timeout}.
 */
@ActivityInterface
public interface RunbookActivities {

  /** Runs {@code job} to completion; a retry with the same key waits for the Job already created. */
  RunResult runJob(String rolloutId, String key, Step.Run.Job job, Duration timeout);

  /**
   * Runs the program the worker's allow-list maps {@code command} to; refuses (non-retryable) an id
   * not on the list. The program gets {@code ROLLOUT_ID} and {@code ROLLOUT_STEP_KEY}.
   */
  RunResult runCommand(String rolloutId, String key, String command, Duration timeout);

  /** Sends the request with its secret header resolved by the worker and an Idempotency-Key. */
  HttpResult call(String rolloutId, String key, HttpRequest request, Duration timeout);

  /** How a run ended: exit 0 succeeds; {@code logTail} is the last lines it printed. */
  record RunResult(int exitCode, String logTail) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  record HttpRequest(String method, String url, String body, int expectStatus, Step.Http.SecretHeader secretHeader) {}

  /** The status the API answered and the start of its body (never a header). */
  record HttpResult(int status, String bodyStart) {}
}
