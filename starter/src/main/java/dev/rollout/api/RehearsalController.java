package dev.rollout.api;

import dev.rollout.plan.Plan;
import dev.rollout.rehearsal.Call;
import dev.rollout.rehearsal.Rehearsal;
import dev.rollout.rehearsal.RehearsalResult;
import dev.rollout.rehearsal.Scenario;
import dev.rollout.workflow.Decision;
import dev.rollout.workflow.RolloutResult;
import io.swagger.v3.oas.annotations.Operation;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Rehearses a plan: runs it in-process on Temporal's time-skipping test server against recording
 * activities (nothing real is touched), answering approvals as the scenario says.
 */
@RestController
@RequestMapping("/plans")
class RehearsalController {
  /** Each rehearsal runs a test server in this process: only so many at once (429 beyond). */
  private final java.util.concurrent.Semaphore inFlight;

  RehearsalController(dev.rollout.api.security.SecuritySettings settings) {
    this.inFlight = new java.util.concurrent.Semaphore(settings.limits().rehearsalsInFlight());
  }

  private Report rehearsed(Plan plan, Scenario scenario) {
    if (!inFlight.tryAcquire()) {
      throw new ResponseStatusException(HttpStatus.TOO_MANY_REQUESTS,
          "the server runs as many rehearsals at once as it may; try again shortly");
    }
    try {
      return Report.of(Rehearsal.run(plan, scenario));
    } finally {
      inFlight.release();
    }
  }

  @Operation(summary = "Rehearse a plan (body: the plan) on the happy path: every gate passes, every approval is given")
  @PostMapping(path = "/rehearse", consumes = {"application/json", "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"})
  Report rehearse(
      @RequestBody(required = false) String planText,
      @RequestParam(required = false) String source) {
    return rehearsed(PlanBodies.parse(planText, source), Scenario.HAPPY);
  }

  @Operation(summary = "Rehearse a plan under a scenario (multipart parts: plan, scenario)")
  @PostMapping(path = "/rehearse", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  Report rehearseScenario(
      @RequestPart("plan") String planText,
      @RequestPart(name = "scenario", required = false) String scenarioText,
      @RequestParam(required = false) String source) {
    Plan plan = PlanBodies.parse(planText, source);
    return rehearsed(plan, scenario(scenarioText));
  }

  private static Scenario scenario(String text) {
    if (text == null || text.isBlank()) {
      return Scenario.HAPPY;
    }
    try {
      return Scenario.parse(text);
    } catch (UncheckedIOException e) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "scenario: " + e.getMessage());
    }
  }

  /**
   * What the rehearsal did.
   *
   * @param outcome COMPLETED, ROLLED_BACK or ROLLBACK_FAILED; null when it was left waiting
   * @param stuck why it stopped before the end (a wait nobody answers), or null
   * @param simulated how long the rollout would take (ISO-8601 duration)
   */
  record Report(
      String outcome,
      String reason,
      String trigger,
      String stuck,
      Instant startedAt,
      Instant endedAt,
      Duration simulated,
      long wallMillis,
      int historyEvents,
      List<String> changes,
      List<Decision> decisions,
      List<Call> calls) {

    static Report of(RehearsalResult r) {
      RolloutResult result = r.result();
      return new Report(
          result == null ? null : result.outcome().name(),
          result == null ? null : result.reason(),
          result == null ? null : result.trigger(),
          r.stuck(),
          r.startedAt(),
          r.endedAt(),
          r.simulated(),
          r.wallTime().toMillis(),
          r.historyEvents(),
          r.changes(),
          r.status() == null ? List.of() : r.status().decisions(),
          r.calls());
    }
  }
}
