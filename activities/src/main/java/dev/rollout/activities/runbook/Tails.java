package dev.rollout.activities.runbook;

import java.util.List;

/** The last lines of a log, which is what people need to see why a runbook step failed. */
final class Tails {
  static final int LINES = 20;

  private Tails() {}

  static String of(String text) {
    if (text == null || text.isEmpty()) return "";
    List<String> lines = text.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - LINES), lines.size()));
  }
}
