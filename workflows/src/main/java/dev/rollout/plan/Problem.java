package dev.rollout.plan;

/**
 * One thing wrong with a plan file, located the way editors and compilers do.
 *
 * @param source the file name or origin the plan was read from
 * @param line 1-based line, 0 when unknown
 * @param column 1-based column, 0 when unknown
 * @param path the field path, e.g. {@code phases[2].steps[0].percent}; empty for the whole plan
 */
public record Problem(String source, int line, int column, String path, String message) {

  /** {@code plans/x.yaml:14:13 phases[2].steps[0].percent: 140 is not a percentage (0-100)}. */
  @Override
  public String toString() {
    String where = source + ":" + line + ":" + column;
    return path.isEmpty() ? where + " " + message : where + " " + path + ": " + message;
  }
}
