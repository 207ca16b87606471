package dev.rollout.chaos;

import dev.rollout.workflow.Actions;
import dev.rollout.workflow.RolloutResult;
import dev.rollout.workflow.RolloutStatus;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.client.WorkflowUpdateStage;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the people of one rollout while its worker keeps dying: reads the status, and answers
 * each approval it waits for as the role's holder. An approval carries the wait's id, and an
 * Update id derived from wait and role, so a resend after a kill is the same request, never a second approval; a call
 * that does not answer within its deadline is resent. Ends when the rollout has a result.
 */
final class RolloutDriver implements Runnable {

  private static final Duration CALL_DEADLINE = Duration.ofSeconds(15);
  /**
   * How often the status is read. Each read is a query the worker answers by replaying the
   * rollout's history (no sticky cache here): reading 24 rollouts 4 times a second starved it.
   */
  private static final Duration POLL = Duration.ofSeconds(1);
  private static final ExecutorService CALLS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "approval-call");
    t.setDaemon(true);
    return t;
  });

  private final WorkflowClient client;
  private final String rolloutId;
  final AtomicInteger approvalsSent = new AtomicInteger();
  final AtomicInteger approvalsResent = new AtomicInteger();
  final AtomicInteger statusFailures = new AtomicInteger();
  private int failuresInARow;
  volatile RolloutResult result;
  volatile Throwable failure;

  RolloutDriver(WorkflowClient client, String rolloutId) {
    this.client = client;
    this.rolloutId = rolloutId;
  }

  @Override
  public void run() {
    try {
      while (result == null) {
        RolloutStatus status = status();
        if (status == null) continue;
        if (status.state().terminal()) {
          result = status.result() != null ? status.result()
              : client.newUntypedWorkflowStub(rolloutId).getResult(CALL_DEADLINE.toSeconds(), TimeUnit.SECONDS, RolloutResult.class);
          return;
        }
        RolloutStatus.WaitingFor waiting = status.waitingFor();
        if (waiting != null && waiting.kind().approval()) {
          for (String role : waiting.roles()) {
            if (waiting.approvedBy().stream().noneMatch(a -> a.as(role))) {
              approve(waiting.id(), role);
              break;
            }
          }
        } else {
          Poll.pause(POLL);
        }
      }
    } catch (Throwable t) {
      failure = t;
    }
  }

  private RolloutStatus status() {
    try {
      RolloutStatus status = client.newUntypedWorkflowStub(rolloutId).query("status", RolloutStatus.class);
      failuresInARow = 0;
      return status;
    } catch (RuntimeException workerGone) {
      // No worker to answer (killed, restarting): ask again, less often the longer it lasts. A
      // query given up stays queued on the server and a new worker still replays the rollout to
      // answer it: asked every second, two dozen drivers left it ~100 such replays per restart.
      statusFailures.incrementAndGet();
      failuresInARow++;
      Poll.pause(POLL.multipliedBy(1L << Math.min(3, failuresInARow - 1)));
      return null;
    }
  }

  /** @param waitId the wait answered: it names the request too, so a resend is the same request */
  private void approve(String waitId, String role) {
    String updateId = rolloutId + "/" + waitId + "/" + role;
    int sent = approvalsSent.incrementAndGet();
    WorkflowStub stub = client.newUntypedWorkflowStub(rolloutId);
    Future<RolloutStatus> call = CALLS.submit(() -> stub.startUpdate(
            UpdateOptions.newBuilder(RolloutStatus.class).setUpdateName("approve").setUpdateId(updateId)
                .setWaitForStage(WorkflowUpdateStage.COMPLETED).build(),
            new Actions.Approve(ChaosScript.HOLDERS.get(role), role, "chaos test", waitId))
        .getResult());
    try {
      call.get(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      approvalsResent.incrementAndGet();
    } catch (java.util.concurrent.ExecutionException e) {
      // Refused (already approved, no longer waiting) or the worker died mid-call: the next status
      // read decides whether it is still wanted.
      if (!(e.getCause() instanceof WorkflowUpdateException)) approvalsResent.incrementAndGet();
      Poll.pause(Duration.ofMillis(250));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted approving " + updateId + " (attempt " + sent + ")", e);
    }
  }
}
