package dev.rollout.api;

import dev.rollout.client.CallerIdentity;
import dev.rollout.client.RolloutService;
import dev.rollout.client.RolloutSummary;
import dev.rollout.plan.Plan;
import dev.rollout.workflow.Actions;
import dev.rollout.workflow.RolloutState;
import dev.rollout.workflow.RolloutStatus;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Start, list, read and steer rollouts. Every action carries the caller's identity. */
@RestController
@RequestMapping("/rollouts")
class RolloutController {
  private final RolloutService rollouts;
  private final CallerIdentity caller;

  RolloutController(RolloutService rollouts, CallerIdentity caller) {
    this.rollouts = rollouts;
    this.caller = caller;
  }

  @Operation(summary = "Start a rollout from a plan (YAML or JSON body)")
  @PostMapping(consumes = "*/*")
  ResponseEntity<RolloutStatus> start(
      @RequestBody(required = false) String planText,
      @RequestParam(required = false) String source) {
    Plan plan = PlanBodies.parse(planText, source);
    RolloutStatus status = rollouts.start(plan, PlanBodies.sourceName(source), caller.user());
    return ResponseEntity.created(URI.create("/rollouts/" + status.rolloutId())).body(status);
  }

  @Operation(summary = "List rollouts, running and finished, newest first")
  @GetMapping
  List<RolloutSummary> list(
      @RequestParam(required = false) String target, @RequestParam(required = false) String state) {
    return rollouts.list(target, state(state));
  }

  @Operation(summary = "The status of one rollout")
  @GetMapping("/{id}")
  RolloutStatus status(@PathVariable String id) {
    return rollouts.status(id);
  }

  @Operation(summary = "The rollout's plan as a picture (SVG): phases on a time axis, canary weight, marks")
  @GetMapping(value = "/{id}/plan.svg", produces = "image/svg+xml")
  String planPicture(@PathVariable String id) {
    return dev.rollout.render.PlanPicture.svg(rollouts.plan(id));
  }

  @Operation(summary = "Approve what the rollout waits for, as a role")
  @PostMapping("/{id}/approve")
  RolloutStatus approve(@PathVariable String id, @Valid @RequestBody ActionBodies.Approve body) {
    return rollouts.approve(id, new Actions.Approve(caller.user(), body.role(), body.comment()));
  }

  @Operation(summary = "Reject what the rollout waits for: it rolls back")
  @PostMapping("/{id}/reject")
  RolloutStatus reject(@PathVariable String id, @Valid @RequestBody ActionBodies.Reject body) {
    return rollouts.reject(id, new Actions.Reject(caller.user(), body.role(), body.comment()));
  }

  @Operation(summary = "Confirm a checklist item")
  @PostMapping("/{id}/confirm")
  RolloutStatus confirm(@PathVariable String id, @Valid @RequestBody ActionBodies.Confirm body) {
    return rollouts.confirm(
        id, new Actions.Confirm(caller.user(), body.role(), body.item(), body.comment()));
  }

  @Operation(summary = "Pause before the next step (a pause during a bake extends it)")
  @PostMapping("/{id}/pause")
  RolloutStatus pause(
      @PathVariable String id, @RequestBody(required = false) ActionBodies.Operator body) {
    return rollouts.pause(id, new Actions.Operator(caller.user(), comment(body)));
  }

  @Operation(summary = "Resume a paused rollout")
  @PostMapping("/{id}/resume")
  RolloutStatus resume(
      @PathVariable String id, @RequestBody(required = false) ActionBodies.Operator body) {
    return rollouts.resume(id, new Actions.Operator(caller.user(), comment(body)));
  }

  @Operation(summary = "Stop the rollout and roll back what it did")
  @PostMapping("/{id}/abort")
  RolloutStatus abort(@PathVariable String id, @Valid @RequestBody ActionBodies.Abort body) {
    return rollouts.abort(id, new Actions.Abort(caller.user(), body.reason()));
  }

  @Operation(summary = "End the current bake now")
  @PostMapping("/{id}/skip-bake")
  RolloutStatus skipBake(@PathVariable String id, @Valid @RequestBody ActionBodies.SkipBake body) {
    return rollouts.skipBake(
        id, new Actions.SkipBake(caller.user(), body.role(), body.comment()));
  }

  @Operation(summary = "Answer a hold: ROLLBACK, RETRY or CONTINUE")
  @PostMapping("/{id}/decide")
  RolloutStatus decide(@PathVariable String id, @Valid @RequestBody ActionBodies.Decide body) {
    return rollouts.decide(id, new Actions.Decide(caller.user(), body.choice(), body.comment()));
  }

  private static String comment(ActionBodies.Operator body) {
    return body == null ? null : body.comment();
  }

  private static RolloutState state(String name) {
    if (name == null || name.isBlank()) {
      return null;
    }
    try {
      return RolloutState.valueOf(name.strip().toUpperCase().replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new ResponseStatusException(
          HttpStatus.BAD_REQUEST,
          "state: '" + name + "' is not a rollout state; one of "
              + Arrays.toString(RolloutState.values()));
    }
  }
}
