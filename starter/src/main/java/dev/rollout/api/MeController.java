package dev.rollout.api;

import dev.rollout.api.security.AccessPolicy;
import dev.rollout.api.security.Caller;
import dev.rollout.client.RolloutService;
import io.swagger.v3.oas.annotations.Operation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Who the server says the caller is: what the dashboard shows instead of asking people who they
 * are. With {@code rollout}, also the roles the access rules give the caller on that rollout's
 * targets ({@code roles}, {@code *} = any role) and which of the plan's roles it may therefore act
 * as ({@code actAs}), so "waiting for me" and the role offered are the server's answer, not the page's.
 */
@RestController
class MeController {
  private final AccessPolicy access;
  private final RolloutService rollouts;

  MeController(AccessPolicy access, RolloutService rollouts) {
    this.access = access;
    this.rollouts = rollouts;
  }

  @Operation(summary = "The authenticated caller, and with ?rollout=ID the roles it holds on that rollout's targets")
  @GetMapping("/me")
  Map<String, Object> me(@RequestParam(required = false) String rollout) {
    Caller caller = RolloutController.caller();
    Map<String, Object> me = new LinkedHashMap<>();
    me.put("principal", caller.principal());
    me.put("groups", List.copyOf(caller.groups()));
    me.put("via", caller.via());
    if (rollout != null && !rollout.isBlank()) {
      me.put("rollout", rollout);
      List<String> targets = rollouts.facts(rollout).targets();
      me.put("roles", access.roles(caller, targets));
      me.put("actAs", rollouts.plan(rollout).roles().stream().filter(r -> access.holdsRole(caller, r, targets)).toList());
    }
    return me;
  }
}
