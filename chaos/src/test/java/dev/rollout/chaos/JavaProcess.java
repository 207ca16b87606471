package dev.rollout.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts a main class of this test classpath in a JVM of its own, its output appended to a log file. */
final class JavaProcess {

  private JavaProcess() {}

  static Process start(String mainClass, List<String> args, Map<String, String> env, Path log, String... jvmOptions) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmOptions));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + mainClass, e);
    }
  }

  /** A port nothing listens on now, away from the common ones. */
  static int freePort() {
    for (int i = 0; i < 50; i++) {
      int port = 20000 + (int) (Math.random() * 30000);
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress("127.0.0.1", port));
        return port;
      } catch (IOException busy) {
        // try another
      }
    }
    throw new IllegalStateException("no free port found");
  }

  /** Polls until something accepts connections on the port, or fails saying what it waited for. */
  static void awaitListening(String what, int port, Duration deadline, Process process) {
    long end = System.nanoTime() + deadline.toNanos();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) throw new IllegalStateException(what + " exited with " + process.exitValue() + " before listening on " + port);
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Poll.pause(Duration.ofMillis(100));
      }
    }
    throw new IllegalStateException(what + " did not listen on port " + port + " within " + deadline);
  }
}
