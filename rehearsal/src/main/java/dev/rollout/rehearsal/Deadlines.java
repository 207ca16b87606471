package dev.rollout.rehearsal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Every client call of a rehearsal that waits for the rollout (a query, an Update) gets a deadline:
 * a rollout that stops answering ends the rehearsal with what it waited for, never hangs it.
 */
final class Deadlines {
  /** Far longer than any answer takes on a busy machine (well under a second when healthy). */
  static final Duration CALL = Duration.ofSeconds(60);

  /**
   * How long a call may take: {@link #CALL}, or {@code -Drehearsal.callDeadlineSeconds}. The hang
   * stress test raises it, so a machine starved of CPU makes rehearsals slow, not failed: it tells
   * a hang from slowness by watching the rollout's history instead.
   */
  static Duration call() {
    return Duration.ofSeconds(Long.getLong("rehearsal.callDeadlineSeconds", CALL.toSeconds()));
  }

  /**
   * Rings when a call overruns its deadline, by interrupting the caller (a blocked gRPC call then
   * ends). The call itself runs on the caller's thread: handing each of a rehearsal's queries and
   * Updates to another thread cost two thread switches per call, and on a busy machine a wait for
   * a core at each.
   */
  private static final ScheduledThreadPoolExecutor ALARMS = alarms();

  private static ScheduledThreadPoolExecutor alarms() {
    ScheduledThreadPoolExecutor alarms = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "rehearsal-deadline");
      t.setDaemon(true);
      return t;
    });
    // A call that returned takes its alarm with it: thousands of rehearsals' calls are not kept queued until their deadline.
    alarms.setRemoveOnCancelPolicy(true);
    return alarms;
  }

  private Deadlines() {}

  /** A call that gave up: says what it waited for and how long. */
  static final class GaveUp extends IllegalStateException {
    GaveUp(String what, Duration after) {
      super("gave up after " + after.toSeconds() + " s waiting for " + what);
    }
  }

  /** Runs {@code call} for at most {@link #call()}; throws {@link GaveUp} naming {@code what}. */
  static <T> T within(String what, Supplier<T> call) {
    return within(what, call(), call);
  }

  static <T> T within(String what, Duration deadline, Supplier<T> call) {
    Alarm alarm = new Alarm(Thread.currentThread());
    ScheduledFuture<?> ringing = ALARMS.schedule(alarm::ring, deadline.toMillis(), TimeUnit.MILLISECONDS);
    try {
      T result = call.get();
      if (alarm.stop()) throw new GaveUp(what, deadline);
      return result;
    } catch (RuntimeException | Error e) {
      if (alarm.stop()) throw new GaveUp(what, deadline);
      throw e;
    } finally {
      ringing.cancel(false);
    }
  }

  /** One call's deadline: rings (interrupts the caller) unless the call stopped it first. */
  private static final class Alarm {
    private final Thread caller;
    private boolean done;
    private boolean rang;

    Alarm(Thread caller) {
      this.caller = caller;
    }

    synchronized void ring() {
      if (done) return;
      rang = true;
      caller.interrupt();
    }

    /**
     * The call returned or failed: no ring after this. True when it rang first; its interrupt is
     * then cleared (delivered under this lock, so it is already set), and the call gave up.
     */
    synchronized boolean stop() {
      done = true;
      if (rang) Thread.interrupted();
      return rang;
    }
  }
}
