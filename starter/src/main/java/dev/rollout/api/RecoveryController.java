package dev.rollout.api;

import dev.rollout.api.security.AccessPolicy;
import dev.rollout.api.security.Caller;
import dev.rollout.api.security.SecuritySettings;
import dev.rollout.api.security.SecuritySettings.Permission;
import dev.rollout.client.Actor;
import dev.rollout.client.RolloutRefusedException;
import dev.rollout.client.RolloutService;
import dev.rollout.client.RunFacts;
import dev.rollout.workflow.RolloutStatus;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Recovering a rollout Temporal terminated (Web UI, CLI: a terminate skips the rollback): runs its
 * rollback as a new run of the same rollout id. Authorised like an abort: ABORT on the rollout's
 * targets and, when a role is named, holding it there; the plan's roles are checked by {@link
 * RolloutService#recover}.
 */
@RestController
@RequestMapping("/rollouts")
class RecoveryController {
  /** @param reason why, for the decision log and the result (required, like an abort's) */
  record Recover(@NotBlank String reason, String role) {}

  private final RolloutService rollouts;
  private final AccessPolicy access;
  private final int maxComment;

  RecoveryController(RolloutService rollouts, AccessPolicy access, SecuritySettings settings) {
    this.rollouts = rollouts;
    this.access = access;
    this.maxComment = settings.limits().maxComment();
  }

  @Operation(summary = "Run the rollback a Temporal terminate skipped (only for a terminated rollout)")
  @PostMapping("/{id}/recover")
  RolloutStatus recover(@PathVariable String id, @Valid @RequestBody Recover body) {
    if (body.reason().length() > maxComment) {
      throw new ResponseStatusException(HttpStatus.UNPROCESSABLE_ENTITY,
          "reason: " + body.reason().length() + " characters; at most " + maxComment + " are accepted");
    }
    Caller caller = RolloutController.caller();
    RunFacts run = rollouts.facts(id);
    String targets = String.join(", ", run.targets());
    if (!access.allows(caller, Permission.ABORT, run.targets())) {
      throw new RolloutRefusedException(id, RolloutRefusedException.Kind.FORBIDDEN,
          caller.principal() + " may not recover rollouts on " + targets + " (it takes the abort permission)");
    }
    if (body.role() != null && !access.holdsRole(caller, body.role(), run.targets())) {
      throw new RolloutRefusedException(id, RolloutRefusedException.Kind.FORBIDDEN,
          caller.principal() + " does not hold the role '" + body.role() + "' on " + targets);
    }
    return rollouts.recover(id, new Actor(caller.principal(), access.roles(caller, run.targets())), body.role(), body.reason());
  }
}
