package dev.rollout.workflow;

import io.temporal.failure.ApplicationFailure;

/** What a failure chain says, for the decision log and the status. */
final class Failures {
  private Failures() {}

  /** The innermost message of a failure chain: what actually went wrong. */
  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    String m = t instanceof ApplicationFailure a ? a.getOriginalMessage() : t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m;
  }
}
