package dev.rollout.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The chaos worker ({@link ChaosWorker}) in a process of its own, killed with SIGKILL
 * ({@link Process#destroyForcibly()}) and started again; each life logs to its own file.
 */
final class WorkerProcess implements AutoCloseable {

  private final Map<String, String> env;
  private final Path logDir;
  private final List<Duration> startTimes = new ArrayList<>();
  private Process process;
  private int lives;
  private int kills;

  WorkerProcess(Map<String, String> env, Path logDir) {
    this.env = env;
    this.logDir = logDir;
  }

  /** Starts a new worker and waits until it polls. */
  void start() {
    long began = System.nanoTime();
    Path log = logDir.resolve("worker-" + (++lives) + ".log");
    process = JavaProcess.start(ChaosWorker.class.getName(), List.of(), env, log, "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    Poll.until("worker " + lives + " to poll (log: " + log + ")", Duration.ofSeconds(90), () -> {
      if (!process.isAlive()) throw new IllegalStateException("worker " + lives + " exited: see " + log);
      return read(log).contains(ChaosWorker.READY);
    });
    startTimes.add(Duration.ofNanos(System.nanoTime() - began));
  }

  /** kill -9: no shutdown hook runs, nothing is flushed, in-flight activities just stop. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    kills++;
  }

  int kills() {
    return kills;
  }

  /** The median time from launch to polling. */
  Duration medianStart() {
    List<Duration> sorted = startTimes.stream().sorted().toList();
    return sorted.isEmpty() ? Duration.ZERO : sorted.get(sorted.size() / 2);
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (process != null) process.destroyForcibly();
  }
}
