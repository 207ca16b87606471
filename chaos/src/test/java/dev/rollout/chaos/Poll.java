package dev.rollout.chaos;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for a condition with a deadline that says what was awaited. */
final class Poll {

  private Poll() {}

  static void until(String what, Duration deadline, BooleanSupplier condition) {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) throw new AssertionError("gave up after " + deadline + " waiting for " + what);
      pause(Duration.ofMillis(100));
    }
  }

  static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
