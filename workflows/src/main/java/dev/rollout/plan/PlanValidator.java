package dev.rollout.plan;

/** The checks a bound plan must pass before it may run. */
final class PlanValidator {
  private PlanValidator() {}

  static void check(Plan plan, LocatedTree tree, Problems problems) {}
}
