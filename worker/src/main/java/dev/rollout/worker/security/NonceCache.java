package dev.rollout.worker.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The nonces of signed actions this worker accepted lately. A signed action older than the
 * accepted age is refused anyway, so a nonce need only be remembered that long.
 */
final class NonceCache {
  private final Map<String, Long> expiries = new ConcurrentHashMap<>();
  private final Duration keep;
  private final Clock clock;

  NonceCache(Duration keep, Clock clock) {
    this.keep = keep;
    this.clock = clock;
  }

  /** True the first time {@code nonce} is seen within the window; false for a replay. */
  boolean firstUse(String nonce) {
    long now = clock.millis();
    if (expiries.size() > 10_000) evict(now);
    Long previous = expiries.putIfAbsent(nonce, now + keep.toMillis());
    return previous == null || previous < now && expiries.replace(nonce, previous, now + keep.toMillis());
  }

  private void evict(long now) {
    for (Iterator<Map.Entry<String, Long>> it = expiries.entrySet().iterator(); it.hasNext(); ) {
      if (it.next().getValue() < now) it.remove();
    }
  }
}
