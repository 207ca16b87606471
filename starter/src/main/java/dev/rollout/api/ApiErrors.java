package dev.rollout.api;

import dev.rollout.client.RolloutBusyException;
import dev.rollout.client.RolloutDeadlineException;
import dev.rollout.client.RolloutNotFoundException;
import dev.rollout.client.RolloutRefusedException;
import dev.rollout.plan.PlanException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as RFC 9457 Problem Details. The {@code type} says which error it is, so clients
 * (the CLI) can tell them apart without parsing the text.
 */
@RestControllerAdvice
class ApiErrors extends ResponseEntityExceptionHandler {
  static final URI INVALID_PLAN = URI.create("urn:rollout:problem:invalid-plan");
  static final URI NOT_FOUND = URI.create("urn:rollout:problem:not-found");
  static final URI BUSY_TARGET = URI.create("urn:rollout:problem:busy-target");
  static final URI REFUSED = URI.create("urn:rollout:problem:refused");
  static final URI INVALID_REQUEST = URI.create("urn:rollout:problem:invalid-request");
  static final URI TOO_LARGE = URI.create("urn:rollout:problem:too-large");
  static final URI TEMPORAL_UNAVAILABLE = URI.create("urn:rollout:problem:temporal-unavailable");
  static final URI NO_ANSWER = URI.create("urn:rollout:problem:no-answer");

  @ExceptionHandler
  ProblemDetail invalidPlan(PlanException e) {
    ProblemDetail p = problem(HttpStatus.UNPROCESSABLE_ENTITY, INVALID_PLAN, "Invalid plan", e.getMessage());
    p.setProperty("problems", e.problems());
    return p;
  }

  @ExceptionHandler
  ProblemDetail notFound(RolloutNotFoundException e) {
    ProblemDetail p = problem(HttpStatus.NOT_FOUND, NOT_FOUND, "Unknown rollout", e.getMessage());
    p.setProperty("rolloutId", e.rolloutId());
    return p;
  }

  /** The rollout did not answer within the deadline: 504, and the message says what was waited for. */
  @ExceptionHandler
  ProblemDetail noAnswer(RolloutDeadlineException e) {
    return problem(HttpStatus.GATEWAY_TIMEOUT, NO_ANSWER, "The rollout did not answer in time", e.getMessage());
  }

  @ExceptionHandler
  ProblemDetail busy(RolloutBusyException e) {
    ProblemDetail p = problem(HttpStatus.CONFLICT, BUSY_TARGET, "Target is busy", e.getMessage());
    p.setProperty("runningRollout", e.runningRollout());
    p.setProperty("runId", e.runId());
    if (e.target() != null) p.setProperty("lockedTarget", e.target());
    return p;
  }

  @ExceptionHandler
  ProblemDetail refused(RolloutRefusedException e) {
    HttpStatus status =
        switch (e.kind()) {
          case FORBIDDEN -> HttpStatus.FORBIDDEN;
          case CONFLICT -> HttpStatus.CONFLICT;
          case INVALID -> HttpStatus.UNPROCESSABLE_ENTITY;
        };
    ProblemDetail p = problem(status, REFUSED, "Refused by the rollout", e.getMessage());
    p.setProperty("rolloutId", e.rolloutId());
    return p;
  }

  /** Temporal cannot be reached (the SDK wraps gRPC errors in its own exceptions). */
  @ExceptionHandler({StatusRuntimeException.class, WorkflowException.class})
  ProblemDetail temporal(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException grpc
          && (grpc.getStatus().getCode() == Status.Code.UNAVAILABLE
              || grpc.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED)) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, TEMPORAL_UNAVAILABLE, "Temporal is unreachable",
            "cannot reach the Temporal server: " + grpc.getStatus().getDescription());
      }
    }
    throw e;
  }

  /** A body field that fails validation: name the field. */
  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    List<Map<String, String>> errors =
        e.getBindingResult().getFieldErrors().stream()
            .map(f -> Map.of("field", f.getField(), "message", String.valueOf(f.getDefaultMessage())))
            .toList();
    String detail =
        String.join("; ", errors.stream().map(f -> f.get("field") + ": " + f.get("message")).toList());
    ProblemDetail p = problem(HttpStatus.BAD_REQUEST, INVALID_REQUEST, "Invalid request", detail);
    p.setProperty("errors", errors);
    return ResponseEntity.badRequest().body(p);
  }

  /**
   * A body that is not JSON, or names an unknown value: say what Jackson could not read. A body
   * naming a field the request does not have (say, {@code user}) is refused whole (422): who acts
   * is the authenticated caller, never the body. A body past the size limit: 413.
   */
  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof dev.rollout.api.security.RequestLimits.TooLarge tooLarge) {
        // Close the connection: the rest of the body is never read (nor drained).
        return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).header(HttpHeaders.CONNECTION, "close")
            .body(problem(HttpStatus.PAYLOAD_TOO_LARGE, TOO_LARGE, "Request body too large", tooLarge.getMessage()));
      }
      if (t instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException unknown) {
        return ResponseEntity.unprocessableEntity()
            .body(problem(HttpStatus.UNPROCESSABLE_ENTITY, INVALID_REQUEST, "Invalid request",
                "'" + unknown.getPropertyName() + "' is not a field of this request"
                    + (unknown.getPropertyName().equalsIgnoreCase("user")
                        ? ": who acts is the authenticated caller, never the body" : "")));
      }
    }
    String why = e.getMostSpecificCause().getMessage();
    String firstLine = why == null ? "unreadable body" : why.lines().findFirst().orElse(why);
    return ResponseEntity.badRequest()
        .body(problem(HttpStatus.BAD_REQUEST, INVALID_REQUEST, "Invalid request", firstLine));
  }

  private static ProblemDetail problem(HttpStatus status, URI type, String title, String detail) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setType(type);
    p.setTitle(title);
    return p;
  }
}
