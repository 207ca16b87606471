package dev.rollout.cli;

import dev.rollout.workflow.RolloutStatus;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Follows a rollout by polling its status until it ends, printing each of the rollout's numbered
 * transitions (phase, state, step, what it waits for) once, however short, and the bake
 * countdown at most every {@link #COUNTDOWN}.
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
   * Polls until the rollout reaches a terminal state, printing every numbered transition the status
   * lists after the last one printed: a state shorter than the poll interval is still shown, in
   * order (a status without transitions, from an older server, falls back to what each poll sees).
   * {@code onChange} sees every status whose progress line changed (the demo answers approvals
   * there). Returns the terminal status.
   */
  RolloutStatus follow(String id, Consumer<RolloutStatus> onChange) {
    String lastKey = null;
    Instant lastPrinted = Instant.MIN;
    long seen = 0;
    while (true) {
      RolloutStatus s = status(id);
      Instant now = clock.instant();
      String key = StatusView.progress(s, s.bakeEndsAt() == null ? now : s.bakeEndsAt());
      boolean changed = !key.equals(lastKey);
      long after = seen;
      List<RolloutStatus.Transition> fresh = s.transitions().stream().filter(t -> t.seq() > after).toList();
      if (!fresh.isEmpty()) {
        long missed = fresh.get(0).seq() - seen - 1;
        if (missed > 0) out.println("… " + missed + " earlier transition(s) no longer kept by the rollout");
        for (RolloutStatus.Transition t : fresh) {
          boolean current = t == fresh.get(fresh.size() - 1);
          // The latest one is the status itself: print it in full (bake left, approvals, result).
          out.println(CLOCK.format(t.at()) + "  " + (current ? StatusView.progress(s, now) : StatusView.transition(t, s.phaseCount())));
        }
        seen = fresh.get(fresh.size() - 1).seq();
        out.flush();
        lastPrinted = now;
      } else {
        boolean sampled = s.transitions().isEmpty() && changed;
        boolean countdown = s.bakeEndsAt() != null && Duration.between(lastPrinted, now).compareTo(COUNTDOWN) >= 0;
        if (sampled || countdown) {
          out.println(CLOCK.format(now) + "  " + StatusView.progress(s, now));
          out.flush();
          lastPrinted = now;
        }
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
