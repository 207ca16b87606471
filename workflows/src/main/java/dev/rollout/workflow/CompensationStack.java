package dev.rollout.workflow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Every undo the rollout registered, as data ({@link UndoEntry}), most recent last. Each is
 * registered BEFORE its change runs, so a change that failed half-way (or was cancelled) is still
 * undone. Entries are never removed once the rollout rolls back: they end DONE or SKIPPED, so an
 * ended rollout's status lists every undo with its result and time.
 */
final class CompensationStack {
  private final List<UndoEntry> entries = new ArrayList<>();
  private final List<UndoRequest> requests = new ArrayList<>();
  private int nextId = 1;

  /**
   * The undos another run left (a terminated rollout's, for its recovery), ids and statuses kept,
   * so people name the same {@code u3} and new undos continue the numbering.
   */
  static CompensationStack of(List<UndoEntry> left) {
    CompensationStack stack = new CompensationStack();
    for (UndoEntry e : left) {
      stack.entries.add(e);
      if (e.id().matches("u\\d+")) stack.nextId = Math.max(stack.nextId, Integer.parseInt(e.id().substring(1)) + 1);
    }
    return stack;
  }

  /** Registers an undo; returns its id. */
  String push(int phase, Undo undo) {
    String id = "u" + nextId++;
    entries.add(new UndoEntry(id, phase, undo, undo.describe(), UndoEntry.Status.PENDING, StatusBoard.now(),
        null, null, null));
    return id;
  }

  /**
   * Registers an undo unless the same one is pending already; then that entry moves to the most
   * recent place (a later shift on the same router needs traffic back to stable as urgently).
   */
  String pushOnce(int phase, Undo undo) {
    for (int i = 0; i < entries.size(); i++) {
      UndoEntry e = entries.get(i);
      if (e.status() == UndoEntry.Status.PENDING && e.undo().equals(undo)) {
        entries.remove(i);
        entries.add(new UndoEntry(e.id(), phase, undo, e.description(), e.status(), StatusBoard.now(), null, null, null));
        return e.id();
      }
    }
    return push(phase, undo);
  }

  /** Forgets an undo registered for a change that turned out to change nothing. */
  void discard(String id) {
    entries.removeIf(e -> e.id().equals(id) && e.status() == UndoEntry.Status.PENDING);
  }

  boolean isEmpty() {
    return entries.stream().noneMatch(UndoEntry::open);
  }

  List<UndoEntry> entries() {
    return List.copyOf(entries);
  }

  UndoEntry get(String id) {
    return entries.stream().filter(e -> e.id().equals(id)).findFirst().orElse(null);
  }

  void update(String id, UndoEntry.Status status, String error, String by, String note) {
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).id().equals(id)) {
        entries.set(i, entries.get(i).with(status, StatusBoard.now(), error, by, note));
      }
    }
  }

  /** The most recent entry still to undo, or null (the order of rollouts started before undo groups). */
  UndoEntry peek() {
    for (int i = entries.size() - 1; i >= 0; i--) {
      if (entries.get(i).status() == UndoEntry.Status.PENDING) return entries.get(i);
    }
    return null;
  }

  /** What is still to undo (pending, failed, waiting for a decision), most recent last. */
  List<String> descriptions() {
    return entries.stream()
        .filter(UndoEntry::open)
        .map(c -> (c.phase() < 0 ? "plan" : "phase " + (c.phase() + 1)) + ": " + c.description()
            + (c.status() == UndoEntry.Status.PENDING ? "" : " [" + c.status() + "]"))
        .toList();
  }

  /** How many undos are still open (the {@link #descriptions} count, without writing them). */
  int openCount() {
    int open = 0;
    for (UndoEntry e : entries) if (e.open()) open++;
    return open;
  }

  /** Queues a person's request (retry, skip, mark done) for the blocked rollback to apply. */
  void request(UndoRequest request) {
    requests.add(request);
  }

  boolean hasRequest() {
    return !requests.isEmpty();
  }

  /** True when a request for this undo is queued and not applied yet. */
  boolean requested(String id) {
    return requests.stream().anyMatch(q -> q.undoId().equals(id));
  }

  UndoRequest takeRequest() {
    return requests.remove(0);
  }
}
