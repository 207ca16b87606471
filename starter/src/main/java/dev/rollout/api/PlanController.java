package dev.rollout.api;

import dev.rollout.plan.Phase;
import dev.rollout.plan.Plan;
import dev.rollout.plan.Target;
import dev.rollout.workflow.RolloutIds;
import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Check a plan without running it. */
@RestController
@RequestMapping("/plans")
class PlanController {

  @Operation(summary = "Validate a plan (YAML or JSON body); 422 lists every problem with line and column")
  @PostMapping(path = "/validate", consumes = {"application/json", "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"})
  ValidPlan validate(
      @RequestBody(required = false) String planText,
      @RequestParam(required = false) String source) {
    return ValidPlan.of(PlanBodies.parse(planText, source));
  }

  /** What a valid plan will do, in brief. */
  record ValidPlan(
      boolean valid,
      String name,
      String version,
      String rolloutId,
      List<String> targets,
      List<String> phases,
      List<String> roles) {

    static ValidPlan of(Plan plan) {
      return new ValidPlan(
          true,
          plan.name(),
          plan.version(),
          RolloutIds.forPlan(plan),
          plan.targets().stream().map(Target::key).toList(),
          plan.phases().stream().map(Phase::name).toList(),
          plan.roles());
    }
  }
}
