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
  private int failedStarts;

  WorkerProcess(Map<String, String> env, Path logDir) {
    this.env = env;
    this.logDir = logDir;
  }

  /**
   * Starts a new worker and waits until it polls. A worker that dies while starting (the server
   * too busy to answer its first calls) is started again, as a supervisor would; after five
   * such deaths in a row the test fails.
   */
  void start() {
    long began = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      Path log = logDir.resolve("worker-" + (++lives) + ".log");
      process = JavaProcess.start(ChaosWorker.class.getName(), List.of(), env, log, "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
      Poll.until("worker " + lives + " to poll (log: " + log + ")", Duration.ofSeconds(120),
          () -> !process.isAlive() || read(log).contains(ChaosWorker.READY));
      if (process.isAlive()) break;
      failedStarts++;
      if (attempt == 5) throw new IllegalStateException("worker died while starting 5 times in a row: see " + log);
    }
    startTimes.add(Duration.ofNanos(System.nanoTime() - began));
  }

  /** Workers that died while starting and were started again. */
  int failedStarts() {
    return failedStarts;
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
