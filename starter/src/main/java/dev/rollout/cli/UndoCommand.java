package dev.rollout.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "undo",
    description = "Acts on one undo of a blocked rollback (ROLLBACK_BLOCKED): retry it (or decide a"
        + " restore that waits for a person), skip it, or record that it was done by hand.")
final class UndoCommand extends ActionCommand {

  enum What {
    RETRY,
    SKIP,
    DONE
  }

  @Parameters(index = "1", paramLabel = "UNDO", description = "The undo's id, as the status lists it (u3).")
  String undoId;

  @Option(names = "--action", required = true, paramLabel = "ACTION", description = "retry, skip or done.")
  What what;

  @Option(names = "--role", required = true, paramLabel = "ROLE", description = "One of the plan's roles.")
  String role;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why (required to skip or mark done).")
  String reason;

  @Override
  String action() {
    return "undos/" + RolloutPaths.encode(undoId);
  }

  @Override
  String what() {
    return "the " + what.name().toLowerCase(java.util.Locale.ROOT) + " of undo " + undoId + " of rollout " + id;
  }

  @Override
  void describe(Map<String, Object> body) {
    body.put("action", what.name());
    body.put("role", role);
    if (reason != null) body.put("reason", reason);
  }

  @Override
  String done() {
    return switch (what) {
      case RETRY -> "retried undo " + undoId + " of";
      case SKIP -> "skipped undo " + undoId + " of";
      case DONE -> "marked undo " + undoId + " done by hand on";
    };
  }

}
