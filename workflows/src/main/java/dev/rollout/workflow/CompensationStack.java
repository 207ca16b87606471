package dev.rollout.workflow;

import java.util.ArrayList;
import java.util.List;

/**
 * What to undo, most recent last. Each entry is pushed BEFORE its change runs, so a change that
 * failed half-way (or was cancelled) is still undone; every undo is an absolute, idempotent call.
 */
final class CompensationStack {

  /** One undo: which phase pushed it, what it does (for people), and the call itself. */
  record Compensation(int phase, String description, Runnable undo) {}

  private final List<Compensation> entries = new ArrayList<>();

  void push(int phase, String description, Runnable undo) {
    entries.add(new Compensation(phase, description, undo));
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  /** The most recent entry, or null. */
  Compensation peek() {
    return entries.isEmpty() ? null : entries.get(entries.size() - 1);
  }

  void pop() {
    entries.remove(entries.size() - 1);
  }

  List<String> descriptions() {
    return entries.stream().map(c -> "phase " + (c.phase() + 1) + ": " + c.description()).toList();
  }
}
