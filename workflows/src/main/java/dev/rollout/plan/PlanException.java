package dev.rollout.plan;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A plan that cannot run, with every problem found in it (never just the first). The message lists
 * them one per line.
 */
public class PlanException extends RuntimeException {
  private final List<Problem> problems;

  public PlanException(List<Problem> problems) {
    super(describe(problems));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }

  private static String describe(List<Problem> problems) {
    return problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
  }
}
