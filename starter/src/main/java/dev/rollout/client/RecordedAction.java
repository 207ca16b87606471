package dev.rollout.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.rollout.workflow.RolloutBrief;
import io.grpc.StatusRuntimeException;
import java.time.Duration;

/**
 * An action the rollout accepted and applied whose whole status could not be read right after.
 * It says what is known for certain: the action is recorded, and the rollout's brief as the
 * action left it. The brief's fields sit where a full status has them ({@code state}, {@code
 * phase}, {@code step}, {@code waitingFor}…), so a client reading those reads the same either way;
 * the status' lists are absent, and {@code statusUnavailable} says why.
 *
 * @param action the action as people read it ("pause", "approve", "retry of an undo")
 * @param runId the run the action was applied to
 */
@JsonPropertyOrder({"recorded", "action", "rolloutId", "runId"})
public record RecordedAction(
    String action,
    String rolloutId,
    String runId,
    @JsonUnwrapped RolloutBrief brief,
    StatusUnavailable statusUnavailable)
    implements ActionAnswer {

  /** Always true: this answer exists only for an action the rollout recorded. */
  @JsonProperty
  public boolean recorded() {
    return true;
  }

  /**
   * Why the whole status is missing.
   *
   * @param waitedFor what the API waited for ("the status of rollout 'r' after the pause")
   * @param deadlineSeconds how long it would wait
   * @param reason what went wrong, in a sentence (a timeout names the deadline)
   */
  public record StatusUnavailable(String waitedFor, long deadlineSeconds, String reason) {

    /** No answer within the deadline. */
    static StatusUnavailable timedOut(String waitedFor, Duration deadline) {
      return new StatusUnavailable(waitedFor, deadline.toSeconds(), "gave up after " + deadline.toSeconds()
          + " s waiting for " + waitedFor + " (its worker may be busy or down)");
    }

    /** The read failed before its deadline (a query timeout of the SDK's, a closed run, a rejected query). */
    static StatusUnavailable failed(String waitedFor, Duration deadline, RuntimeException error) {
      return new StatusUnavailable(waitedFor, deadline.toSeconds(), "reading " + waitedFor + " failed within its "
          + deadline.toSeconds() + " s deadline: " + why(error));
    }

    /** An error in words: gRPC's code and description when it came from there, else the innermost message. */
    private static String why(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof StatusRuntimeException grpc) {
          String description = grpc.getStatus().getDescription();
          return grpc.getStatus().getCode() + (description == null ? "" : ": " + description);
        }
      }
      Throwable root = e;
      while (root.getCause() != null) root = root.getCause();
      return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
  }
}
