package dev.rollout.workflow;

/** What a person asked for a blocked rollback's undo; applied by {@link Rollback} in order. */
record UndoRequest(Kind kind, String undoId, String user, String role, String reason) {
  enum Kind {
    RETRY("retried"),
    SKIP("skipped"),
    MARK_DONE("marked done by hand");

    private final String verb;

    Kind(String verb) {
      this.verb = verb;
    }

    String verb() {
      return verb;
    }
  }
}
