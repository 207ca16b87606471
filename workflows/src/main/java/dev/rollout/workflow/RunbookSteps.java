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
 * or the API answered. {@link StepRunner}'s step visitor calls it for both kinds, and {@link
 * UndoRunner} for their undos ({@link Undo.RunCommand}, {@link Undo.HttpCall}).
 */
final class RunbookSteps {
  private final String rolloutId;
  private final CompensationStack stack;

  RunbookSteps(String rolloutId, CompensationStack stack) {
    this.rolloutId = rolloutId;
    this.stack = stack;
  }

  /**
   * {@code phase < 0}: a rollback step, which pushes no undo. A failure is a {@link StepFailed}
   * when {@code safe} (the phase's {@code onStepFailure} decides), else it rolls back at once.
   */
  void run(int phase, String key, Step.Run step, String label, boolean safe) {
    if (phase >= 0 && step.undo() != null) stack.push(phase, new Undo.RunCommand(key + "u", label, step.undo(), step.timeout()));
    require(run(key, step.command(), step.job(), step.timeout(), label, false), label, safe);
  }

  void http(int phase, String key, Step.Http step, String label, boolean safe) {
    if (phase >= 0 && step.undo() != null) {
      stack.push(phase, new Undo.HttpCall(key + "u", label, step.undo(), step.secretHeader(), step.timeout()));
    }
    HttpRequest request = new HttpRequest(step.method(), step.url(), step.body(), step.expectStatus(), step.secretHeader());
    expect(call(key, request, step.timeout(), label, false), step.expectStatus(), label, safe);
  }

  /** Runs the undo of a run step (for {@link UndoRunner}); throws when it did not succeed. */
  void undo(Undo.RunCommand u, String summary) {
    require(run(u.key(), u.undo().command(), u.undo().job(), u.timeout(), summary, true), summary, false);
  }

  /** Sends the undo call of an http step (for {@link UndoRunner}); throws when it did not succeed. */
  void undo(Undo.HttpCall u, String summary) {
    Step.Http.Call c = u.call();
    HttpRequest request = new HttpRequest(c.method(), c.url(), c.body(), c.expectStatus(), u.secretHeader());
    expect(call(u.key(), request, u.timeout(), summary, true), c.expectStatus(), summary, false);
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

  private static void require(RunResult result, String label, boolean safe) {
    if (!result.ok()) {
      fail(label + ": exited " + result.exitCode()
          + (result.logTail().isEmpty() ? "" : "; last output:\n" + result.logTail()), safe);
    }
  }

  private static void expect(HttpResult result, int status, String label, boolean safe) {
    if (result.status() != status) {
      fail(label + ": answered " + result.status() + ", expected " + status
          + (result.bodyStart().isEmpty() ? "" : " (" + result.bodyStart() + ")"), safe);
    }
  }

  private static void fail(String why, boolean safe) {
    if (safe) throw new StepFailed(why);
    throw new RollbackRequested("step failed", why);
  }
}
