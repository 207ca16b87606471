package dev.rollout.cli;

import dev.rollout.workflow.RolloutStatus;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Follows a rollout by polling its status until it ends, printing a progress line whenever what
 * a person would see changes (phase, state, step, what it waits for) and the bake countdown at
 * most every {@link #COUNTDOWN}.
 */
final class Watcher {

  static final Duration COUNTDOWN = Duration.ofSeconds(5);
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  private final ApiClient client;
  private final PrintWriter out;
  private final Duration interval;
  private final Clock clock;

  Watcher(ApiClient client, PrintWriter out, Duration interval, Clock clock) {
    this.client = client;
    this.out = out;
    this.interval = interval;
    this.clock = clock;
  }

  RolloutStatus status(String id) {
    return Json.convert(client.get(RolloutPaths.rollout(id)), RolloutStatus.class);
  }

  /**
   * Polls until the rollout reaches a terminal state; {@code onChange} sees every status whose
   * progress line changed (the demo answers approvals there). Returns the terminal status.
   */
  RolloutStatus follow(String id, Consumer<RolloutStatus> onChange) {
    String lastKey = null;
    Instant lastPrinted = Instant.MIN;
    while (true) {
      RolloutStatus s = status(id);
      Instant now = clock.instant();
      String key = StatusView.progress(s, s.bakeEndsAt() == null ? now : s.bakeEndsAt());
      boolean changed = !key.equals(lastKey);
      boolean countdown = s.bakeEndsAt() != null && Duration.between(lastPrinted, now).compareTo(COUNTDOWN) >= 0;
      if (changed || countdown) {
        out.println(CLOCK.format(now) + "  " + StatusView.progress(s, now));
        out.flush();
        lastPrinted = now;
      }
      if (changed) {
        lastKey = key;
        onChange.accept(s);
      }
      if (s.state().terminal()) return s;
      LockSupport.parkNanos(interval.toNanos());
      if (Thread.interrupted()) throw new CliException(ExitCodes.REFUSED, "interrupted while watching " + id);
    }
  }
}
