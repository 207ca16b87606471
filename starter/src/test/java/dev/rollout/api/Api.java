package dev.rollout.api;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.test.web.client.TestRestTemplate;

/** Waits for what a person would wait for, polling with a deadline (never a fixed sleep). */
final class Api {
  static final Duration PATIENCE = Duration.ofSeconds(60);

  private Api() {}

  /** Polls {@code GET /rollouts/{id}} until its state is {@code state}; fails with the last status. */
  static Map<?, ?> awaitState(TestRestTemplate http, String id, String state) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    Map<?, ?> last = null;
    while (System.nanoTime() < deadline) {
      last = http.getForObject("/rollouts/" + id, Map.class);
      if (last != null && state.equals(last.get("state"))) {
        return last;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError(id + " never reached " + state + " within " + PATIENCE + "; last: " + last);
  }
}
