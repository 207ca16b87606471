package dev.rollout.workflow;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * The phases whose steps began (by index): their changes are live, so a rollback undoes them and
 * their triggers guard every wait after.
 */
final class StartedPhases {
  private final Set<Integer> started = new TreeSet<>();

  void add(int phase) {
    started.add(phase);
  }

  boolean contains(int phase) {
    return started.contains(phase);
  }

  boolean isEmpty() {
    return started.isEmpty();
  }

  /** In index order; a read-only view. */
  Set<Integer> all() {
    return Collections.unmodifiableSet(started);
  }
}
