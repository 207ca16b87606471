package dev.rollout.rehearsal;

import dev.rollout.workflow.RolloutResult;
import dev.rollout.workflow.RolloutStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a rehearsal did.
 *
 * @param result how the rollout ended; null when it was left waiting (see {@code stuck})
 * @param status the final status (decision log, what is left on the compensation stack)
 * @param calls every activity call in order, with simulated times
 * @param startedAt simulated start
 * @param endedAt simulated end: {@code endedAt - startedAt} is how long the rollout would take
 * @param wallTime real time from start to result (the test server skips the waits)
 * @param cpuTime the process's CPU time over the same span (every thread: worker, test server and
 *     client; other work in the process counts too)
 * @param historyEvents how many events the workflow's history holds
 * @param stuck why the rehearsal stopped before the rollout ended (nobody answers a wait that has
 *     no deadline), or null
 * @param driving where the driver's wall time went
 */
public record RehearsalResult(
    RolloutResult result,
    RolloutStatus status,
    List<Call> calls,
    Instant startedAt,
    Instant endedAt,
    Duration wallTime,
    Duration cpuTime,
    int historyEvents,
    String stuck,
    Driving driving) {

  /**
   * The driver's wall time, in three parts: reading what the rollout does (the {@code brief}
   * Query), the people's answers (Updates), and letting simulated time pass, which is where the
   * rollout itself works (its activities and timers).
   */
  public record Driving(int reads, Duration reading, int answers, Duration answering, int waits, Duration waiting) {}

  public Duration simulated() {
    return Duration.between(startedAt, endedAt);
  }

  /** The calls that change the world (no reads, no metric checks, no notifications), in order. */
  public List<String> changes() {
    return calls.stream()
        .filter(c -> c.attempt() == 1)
        .filter(c -> List.of("setWeight", "setFlags", "setImage", "scale", "setEnv", "backup", "migrate", "restore",
            "runJob", "runCommand", "call")
            .contains(c.method()))
        .map(Call::brief)
        .toList();
  }
}
