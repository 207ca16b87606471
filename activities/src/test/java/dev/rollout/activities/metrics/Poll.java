package dev.rollout.activities.metrics;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polls with a deadline, every 10 ms: how these tests wait for something running (no fixed sleeps). */
public final class Poll {
  private Poll() {}

  /** Reads until {@code done} accepts what was read; fails with the last reading after {@code within}. */
  public static <T> T until(Supplier<T> read, Predicate<T> done, Duration within) {
    long end = System.nanoTime() + within.toNanos();
    T last = read.get();
    while (!done.test(last)) {
      if (System.nanoTime() > end) throw new AssertionError("still not there after " + within + ": " + last);
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
      last = read.get();
    }
    return last;
  }

  public static void until(java.util.function.BooleanSupplier condition, Duration within) {
    until(condition::getAsBoolean, Boolean::booleanValue, within);
  }
}
