package dev.rollout.workflow;

import dev.rollout.plan.Plan;
import dev.rollout.plan.Plans;
import java.nio.file.Path;
import java.util.List;

/** The five seed plans under {@code plans/} (tests run in {@code workflows/}). */
final class SeedPlans {
  static final Path DIR = Path.of("..", "plans");
  static final List<String> NAMES = List.of(
      "batch-patches-canary", "blue-green-promotion", "dealerscope-feature-flags", "drivemind-7-day",
      "phased-programme-8-weeks");

  private SeedPlans() {}

  static Plan load(String name) {
    return Plans.load(DIR.resolve(name + ".yaml"));
  }
}
