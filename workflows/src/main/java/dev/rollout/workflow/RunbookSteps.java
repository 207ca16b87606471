package dev.rollout.workflow;

import dev.rollout.activities.RunbookActivities;
import dev.rollout.activities.RunbookActivities.HttpRequest;
import dev.rollout.activities.RunbookActivities.HttpResult;
import dev.rollout.activities.RunbookActivities.RunResult;
import dev.rollout.plan.Step;
import java.time.Duration;

/**
 * Runs {@code run} and {@code http} steps: the undo (when the plan gives one) is pushed before the
 * step runs; a non-zero exit or an unexpected status fails the step with what the command printed
 * or the API answered. Kept apart from {@link StepRunner} so that it plugs into a per-kind handler.
 */
final class RunbookSteps {
  private final String rolloutId;
  private final CompensationStack stack;

  RunbookSteps(String rolloutId, CompensationStack stack) {
    this.rolloutId = rolloutId;
    this.stack = stack;
  }

  /** {@code phase < 0}: a rollback step, which pushes no undo. */
  void run(int phase, String key, Step.Run step, String label) {
    if (phase >= 0 && step.undo() != null) {
      Step.Run.Undo undo = step.undo();
      String what = "undo of " + label + ": " + (undo.command() != null ? "command " + undo.command() : "job " + undo.job().image());
      stack.push(phase, what, () -> require(run(key + "u", undo.command(), undo.job(), step.timeout(), what, true), what));
    }
    require(run(key, step.command(), step.job(), step.timeout(), label, false), label);
  }

  void http(int phase, String key, Step.Http step, String label) {
    if (phase >= 0 && step.undo() != null) {
      Step.Http.Call u = step.undo();
      String what = "undo of " + label + ": " + u.method() + " " + u.url();
      HttpRequest request = new HttpRequest(u.method(), u.url(), u.body(), u.expectStatus(), step.secretHeader());
      stack.push(phase, what, () -> expect(call(key + "u", request, step.timeout(), what, true), u.expectStatus(), what));
    }
    HttpRequest request = new HttpRequest(step.method(), step.url(), step.body(), step.expectStatus(), step.secretHeader());
    expect(call(key, request, step.timeout(), label, false), step.expectStatus(), label);
  }

  private RunResult run(String key, String command, Step.Run.Job job, Duration timeout, String summary, boolean undo) {
    RunbookActivities runbook = stub(summary, timeout, undo);
    return command != null
        ? runbook.runCommand(rolloutId, key, command, timeout)
        : runbook.runJob(rolloutId, key, job, timeout);
  }

  private HttpResult call(String key, HttpRequest request, Duration timeout, String summary, boolean undo) {
    return stub(summary, timeout, undo).call(rolloutId, key, request, timeout);
  }

  private static RunbookActivities stub(String summary, Duration timeout, boolean undo) {
    return undo
        ? ActivityStubs.undo(RunbookActivities.class, summary)
        : ActivityStubs.longRunning(RunbookActivities.class, summary, timeout);
  }

  private static void require(RunResult result, String label) {
    if (!result.ok()) {
      throw new RollbackRequested("step failed", label + ": exited " + result.exitCode()
          + (result.logTail().isEmpty() ? "" : "; last output:\n" + result.logTail()));
    }
  }

  private static void expect(HttpResult result, int status, String label) {
    if (result.status() != status) {
      throw new RollbackRequested("step failed", label + ": answered " + result.status() + ", expected " + status
          + (result.bodyStart().isEmpty() ? "" : " (" + result.bodyStart() + ")"));
    }
  }
}
