package dev.rollout.activities.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command line tool, heartbeating while it runs, with its output captured to files. */
public final class Processes {

  private static final Duration BEAT_EVERY = Duration.ofSeconds(5);

  private Processes() {}

  /** What a finished command printed and how it exited. */
  public record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /**
   * Runs {@code command} with extra {@code env} (secrets go here, never on the command line) and
   * waits, heartbeating, up to {@code timeout} and never past the calling activity attempt's own
   * timeout ({@link Heartbeat#attemptTimeLeft}). A cancelled activity or a timeout kills the tool.
   */
  public static Result run(List<String> command, Map<String, String> env, Duration timeout)
      throws IOException, InterruptedException {
    return run(command, env, timeout, BEAT_EVERY);
  }

  static Result run(List<String> command, Map<String, String> env, Duration timeout, Duration beatEvery)
      throws IOException, InterruptedException {
    Heartbeat heartbeat = Heartbeat.current();
    Duration left = heartbeat.attemptTimeLeft().orElse(timeout);
    if (left.compareTo(timeout) < 0) timeout = left;
    Path out = Files.createTempFile("rollout-out", ".txt");
    Path err = Files.createTempFile("rollout-err", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (!process.waitFor(beatEvery.toMillis(), TimeUnit.MILLISECONDS)) {
        if (System.nanoTime() > deadline) {
          throw new IOException(command.get(0) + " did not finish within " + timeout);
        }
        heartbeat.beat(command.get(0) + " running");
      }
      return new Result(
          process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      if (process.isAlive()) process.destroyForcibly();
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
