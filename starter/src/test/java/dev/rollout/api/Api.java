package dev.rollout.api;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.test.web.client.TestRestTemplate;

/** Waits for what a person would wait for, polling with a deadline (never a fixed sleep). */
final class Api {
  static final Duration PATIENCE = Duration.ofSeconds(60);

  private Api() {}

  /** A status read that may throw. */
  interface StatusRead {
    com.fasterxml.jackson.databind.JsonNode get() throws Exception;
  }

  /**
   * Polls {@code read} every 200 ms until the state is {@code state} (and, when {@code phase} is
   * given, the phase is it); fails with the last status. {@code unused} keeps call sites aligned.
   */
  static com.fasterxml.jackson.databind.JsonNode awaitState(
      Object unused, String id, String state, StatusRead read, String phase) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    com.fasterxml.jackson.databind.JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = read.get();
      if (state.equals(last.path("state").asText()) && (phase == null || phase.equals(last.path("phase").asText()))) {
        return last;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(id + " never reached " + state + " " + (phase == null ? "" : phase) + " within " + PATIENCE + "; last: " + last);
  }

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
