package dev.rollout.workflow;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polls with a deadline: how tests wait for a running rollout to reach a point (no fixed sleeps). */
final class Poll {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private Poll() {}

  static <T> T until(Supplier<T> read, Predicate<T> done) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    T last = read.get();
    while (!done.test(last)) {
      if (System.nanoTime() > end) throw new AssertionError("still not there after " + DEADLINE + ": " + last);
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      last = read.get();
    }
    return last;
  }

  static RolloutStatus state(RolloutWorkflow wf, RolloutState state) {
    return until(wf::status, s -> s.state() == state);
  }
}
