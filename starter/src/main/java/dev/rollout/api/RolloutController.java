package dev.rollout.api;

import dev.rollout.api.security.AccessPolicy;
import dev.rollout.api.security.ApprovalFloors;
import dev.rollout.api.security.Caller;
import dev.rollout.api.security.SecuritySettings;
import dev.rollout.api.security.SecuritySettings.Permission;
import dev.rollout.api.security.TargetNames;
import dev.rollout.client.ActionAnswer;
import dev.rollout.client.Actor;
import dev.rollout.client.RecordedAction;
import dev.rollout.client.RolloutRefusedException;
import dev.rollout.client.RolloutRun;
import dev.rollout.client.RolloutService;
import dev.rollout.client.RolloutFilter;
import dev.rollout.client.RolloutSummary;
import dev.rollout.client.RunFacts;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Target;
import dev.rollout.workflow.Actions;
import dev.rollout.workflow.RolloutIds;
import dev.rollout.workflow.RolloutState;
import dev.rollout.workflow.RolloutStatus;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Start, list, read and steer rollouts. Who acts is the authenticated caller, never a field of
 * the request; what they may do, and as which roles, comes from the server's access rules.
 */
@RestController
@RequestMapping("/rollouts")
class RolloutController {
  /** The bodies a plan may come in: YAML or JSON, nothing a plain HTML form can send. */
  static final String[] PLAN_TYPES = {
    MediaType.APPLICATION_JSON_VALUE, "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"
  };

  private final RolloutService rollouts;
  private final AccessPolicy access;
  private final ApprovalFloors floors;
  private final int maxComment;

  private final dev.rollout.worker.security.TargetScopes scopes;

  RolloutController(RolloutService rollouts, AccessPolicy access, ApprovalFloors floors, SecuritySettings settings,
      dev.rollout.worker.security.TargetScopes scopes) {
    this.scopes = scopes;
    this.rollouts = rollouts;
    this.access = access;
    this.floors = floors;
    this.maxComment = settings.limits().maxComment();
  }

  @Operation(summary = "Start a rollout from a plan (YAML or JSON body)")
  @PostMapping(consumes = {MediaType.APPLICATION_JSON_VALUE, "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"})
  ResponseEntity<RolloutStatus> start(
      @RequestBody(required = false) String planText,
      @RequestParam(required = false) String source) {
    Caller caller = caller();
    Plan plan = PlanBodies.parse(planText, source);
    TargetNames.check(plan, planText, PlanBodies.sourceName(source));
    List<String> targets = plan.targets().stream().map(Target::key).toList();
    if (!access.allows(caller, Permission.START, targets)) {
      throw new RolloutRefusedException(RolloutIds.forPlan(plan), RolloutRefusedException.Kind.FORBIDDEN,
          caller.principal() + " may not start rollouts on " + String.join(", ", targets));
    }
    floors.check(plan, planText, PlanBodies.sourceName(source));
    ApprovalFloors.checkScopes(scopes, plan, planText, PlanBodies.sourceName(source));
    RolloutStatus status = rollouts.start(plan, PlanBodies.sourceName(source), caller.principal());
    return ResponseEntity.created(URI.create("/rollouts/" + status.rolloutId())).body(status);
  }

  @Operation(summary = "List rollouts, running and finished, newest first; filtered on their search attributes by target (service/env, or a service), state and a role they wait for")
  @GetMapping
  List<RolloutSummary> list(
      @RequestParam(required = false) String target,
      @RequestParam(required = false) String state,
      @RequestParam(required = false) String waitingFor) {
    RolloutFilter filter = new RolloutFilter(target, state(state), waitingFor);
    try {
      return rollouts.list(filter);
    } catch (IllegalArgumentException unquotable) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, unquotable.getMessage());
    }
  }

  @Operation(summary = "The status of one rollout: its newest run, or the run named by runId (see /runs)")
  @GetMapping("/{id}")
  RolloutStatus status(@PathVariable String id, @RequestParam(required = false) String runId) {
    return rollouts.status(id, runId);
  }

  @Operation(summary = "Every run of this rollout id (each rollout of the target), newest first: run id, start, end, outcome")
  @GetMapping("/{id}/runs")
  List<RolloutRun> runs(@PathVariable String id) {
    return rollouts.runs(id);
  }

  @Operation(summary = "The rollout's plan as a picture (SVG): phases on a time axis, canary weight, marks")
  @GetMapping(value = "/{id}/plan.svg", produces = "image/svg+xml")
  String planPicture(@PathVariable String id) {
    return dev.rollout.render.PlanPicture.svg(rollouts.plan(id));
  }

  @Operation(summary = "Approve what the rollout waits for, as one of your roles")
  @PostMapping("/{id}/approve")
  @ActionAnswered
  Object approve(@PathVariable String id, @Valid @RequestBody ActionBodies.Approve body) {
    return act(id, Permission.APPROVE, body.role(), body.comment(),
        (run, who) -> rollouts.approve(run, who,
            new Actions.Approve(who.principal(), body.role(), body.comment(), body.waitId())));
  }

  @Operation(summary = "Reject what the rollout waits for: it rolls back")
  @PostMapping("/{id}/reject")
  @ActionAnswered
  Object reject(@PathVariable String id, @Valid @RequestBody ActionBodies.Reject body) {
    // A rejection counts nobody in: the starter may stop their own rollout this way too.
    return act(id, Permission.APPROVE, body.role(), body.comment(), false,
        (run, who) -> rollouts.reject(run, who,
            new Actions.Reject(who.principal(), body.role(), body.comment(), body.waitId())));
  }

  @Operation(summary = "Confirm a checklist item")
  @PostMapping("/{id}/confirm")
  @ActionAnswered
  Object confirm(@PathVariable String id, @Valid @RequestBody ActionBodies.Confirm body) {
    return act(id, Permission.APPROVE, body.role(), body.comment(),
        (run, who) -> rollouts.confirm(run, who,
            new Actions.Confirm(who.principal(), body.role(), body.item(), body.comment(), body.waitId())));
  }

  @Operation(summary = "Pause before the next step (a pause during a bake extends it)")
  @PostMapping("/{id}/pause")
  @ActionAnswered
  Object pause(
      @PathVariable String id, @Valid @RequestBody(required = false) ActionBodies.Operator body) {
    return act(id, Permission.PAUSE, null, comment(body),
        (run, who) -> rollouts.pause(run, who, new Actions.Operator(who.principal(), comment(body))));
  }

  @Operation(summary = "Resume a paused rollout")
  @PostMapping("/{id}/resume")
  @ActionAnswered
  Object resume(
      @PathVariable String id, @Valid @RequestBody(required = false) ActionBodies.Operator body) {
    String role = body == null ? null : body.role();
    return act(id, Permission.PAUSE, role, comment(body),
        (run, who) -> rollouts.resume(run, who, new Actions.Operator(who.principal(), comment(body), role)));
  }

  @Operation(summary = "Stop the rollout and roll back what it did")
  @PostMapping("/{id}/abort")
  @ActionAnswered
  Object abort(@PathVariable String id, @Valid @RequestBody ActionBodies.Abort body) {
    return act(id, Permission.ABORT, body.role(), body.reason(),
        (run, who) -> rollouts.abort(run, who, new Actions.Abort(who.principal(), body.reason(), body.role())));
  }

  @Operation(summary = "End the current bake now")
  @PostMapping("/{id}/skip-bake")
  @ActionAnswered
  Object skipBake(@PathVariable String id, @Valid @RequestBody ActionBodies.SkipBake body) {
    return act(id, Permission.SKIP_BAKE, body.role(), body.comment(),
        (run, who) -> rollouts.skipBake(run, who, new Actions.SkipBake(who.principal(), body.role(), body.comment())));
  }

  @Operation(summary = "Answer a hold: ROLLBACK, RETRY or CONTINUE")
  @PostMapping("/{id}/decide")
  @ActionAnswered
  Object decide(@PathVariable String id, @Valid @RequestBody ActionBodies.Decide body) {
    return act(id, Permission.DECIDE, body.role(), body.comment(),
        (run, who) -> rollouts.decide(run, who,
            new Actions.Decide(who.principal(), body.choice(), body.comment(), body.role(), body.waitId())));
  }

  /**
   * Undo actions steer a rollback that waits for a person, like answering a hold: they need
   * DECIDE on the rollout's targets and the named role there.
   */
  @Operation(summary = "A blocked rollback's undo: RETRY it (or decide a restore), SKIP it, or mark it DONE by hand")
  @PostMapping("/{id}/undos/{undoId}")
  @ActionAnswered
  Object undo(
      @PathVariable String id, @PathVariable String undoId, @Valid @RequestBody ActionBodies.Undo body) {
    return act(id, Permission.DECIDE, body.role(), body.reason(), (run, who) -> {
      Actions.UndoAction action = new Actions.UndoAction(who.principal(), body.role(), undoId, body.reason());
      return switch (body.action()) {
        case RETRY -> rollouts.retryUndo(run, who, action);
        case SKIP -> rollouts.skipUndo(run, who, action);
        case DONE -> rollouts.markUndoDone(run, who, action);
      };
    });
  }

  @Operation(summary = "Every person's decision on this rollout, as JSON lines (who, roles, when, what, comment)")
  @GetMapping(path = "/{id}/audit", produces = {"application/x-ndjson", MediaType.APPLICATION_JSON_VALUE})
  ResponseEntity<String> audit(@PathVariable String id, @RequestParam(required = false) String runId) {
    return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/x-ndjson")).body(rollouts.audit(id, runId));
  }

  /**
   * Checks the caller may do {@code permission} on the rollout's targets (and holds {@code role}
   * there), then sends the action signed for the caller, the run and its plan.
   */
  private Object act(
      String id, Permission permission, String role, String comment, BiFunction<RunFacts, Actor, ActionAnswer> send) {
    return act(id, permission, role, comment, permission == Permission.APPROVE, send);
  }

  /** @param signsOff the action counts the caller in (an approval, a confirmation): the floor's starter rule applies */
  private Object act(String id, Permission permission, String role, String comment, boolean signsOff,
      BiFunction<RunFacts, Actor, ActionAnswer> send) {
    if (comment != null && comment.length() > maxComment) {
      throw new ResponseStatusException(HttpStatus.UNPROCESSABLE_ENTITY,
          "comment: " + comment.length() + " characters; at most " + maxComment + " are accepted");
    }
    Caller caller = caller();
    RunFacts run = rollouts.facts(id);
    String targets = String.join(", ", run.targets());
    if (!access.allows(caller, permission, run.targets())) {
      throw forbidden(id, caller.principal() + " may not " + permission.name().toLowerCase().replace('_', '-')
          + " rollouts on " + targets);
    }
    if (role != null && !access.holdsRole(caller, role, run.targets())) {
      throw forbidden(id, caller.principal() + " does not hold the role '" + role + "' on " + targets);
    }
    if (signsOff && caller.principal().equals(run.startedBy())
        && floors.floorFor(run.targets()).map(f -> !f.starterCounts()).orElse(false)) {
      throw forbidden(id, caller.principal() + " started this rollout, and on " + targets
          + " the person who starts a rollout never counts as its approver");
    }
    return body(send.apply(run, new Actor(caller.principal(), access.roles(caller, run.targets()))));
  }

  /**
   * An accepted action answers the rollout's whole status, as ever; when only the read of that
   * status failed, what is known for certain ({@link RecordedAction}: recorded, the action's brief,
   * why the status is missing). Both are 200: the action happened (a 202 would say it may not yet).
   */
  private static Object body(ActionAnswer answer) {
    return answer instanceof ActionAnswer.WithStatus full ? full.status() : answer;
  }

  private static RolloutRefusedException forbidden(String id, String why) {
    return new RolloutRefusedException(id, RolloutRefusedException.Kind.FORBIDDEN, why);
  }

  static Caller caller() {
    if (SecurityContextHolder.getContext().getAuthentication() instanceof Caller c) return c;
    throw new ResponseStatusException(HttpStatus.UNAUTHORIZED, "not authenticated");
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
