package dev.rollout.rehearsal;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

  private static final ExecutorService CALLS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "rehearsal-call");
    t.setDaemon(true);
    return t;
  });

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
    Future<T> future = CALLS.submit(call::get);
    try {
      return future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new GaveUp(what, deadline);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + what, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error err) throw err;
      throw new IllegalStateException(what + " failed", e.getCause());
    }
  }
}
