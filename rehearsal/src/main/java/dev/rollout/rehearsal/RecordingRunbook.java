package dev.rollout.rehearsal;

import dev.rollout.activities.RunbookActivities;
import dev.rollout.plan.Step;
import java.time.Duration;

/**
 * Every runbook step succeeds (exit 0, the expected status) unless the scenario fails or hangs it;
 * a scripted failure of {@code runbook.runCommand} stands for a command that exited non-zero.
 */
public final class RecordingRunbook implements RunbookActivities {
  private final RehearsalWorld world;

  public RecordingRunbook(RehearsalWorld world) {
    this.world = world;
  }

  @Override
  public RunResult runJob(String rolloutId, String key, Step.Run.Job job, Duration timeout) {
    world.record("runbook", "runJob", job.namespace() + " " + job.image() + " " + job.args());
    return new RunResult(0, "rehearsal");
  }

  @Override
  public RunResult runCommand(String rolloutId, String key, String command, Duration timeout) {
    world.record("runbook", "runCommand", command);
    return new RunResult(0, "rehearsal");
  }

  @Override
  public HttpResult call(String rolloutId, String key, HttpRequest request, Duration timeout) {
    world.record("runbook", "call", request.method() + " " + request.url() + (request.body() == null ? "" : " " + request.body()));
    return new HttpResult(request.expectStatus(), "");
  }
}
