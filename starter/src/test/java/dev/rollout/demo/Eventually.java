package dev.rollout.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/** Polls a condition until it holds or a deadline passes: how these tests wait, never by sleeping a guess. */
public final class Eventually {
  private Eventually() {}

  public interface Check {
    boolean ok() throws Exception;
  }

  public static void within(Duration timeout, Check check) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (!check.ok()) {
      if (Instant.now().isAfter(deadline)) throw new AssertionError("condition not met within " + timeout);
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }
}
