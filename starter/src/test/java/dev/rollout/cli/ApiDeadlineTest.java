package dev.rollout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every action that waits for the server has a deadline and, when it gives up, says what it waited
 * for: against a server that accepts the connection and never answers, and one that is not there.
 */
class ApiDeadlineTest {
  private HttpServer silent;
  private final CountDownLatch released = new CountDownLatch(1);
  private ExecutorService handlers;

  @BeforeEach
  void startASilentServer() throws IOException {
    silent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    handlers = Executors.newCachedThreadPool();
    silent.setExecutor(handlers);
    silent.createContext("/", exchange -> {
      try {
        released.await(60, TimeUnit.SECONDS); // never answers while the test runs
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    silent.start();
  }

  @AfterEach
  void stop() {
    released.countDown();
    silent.stop(0);
    handlers.shutdownNow();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "pause rollout-x | the pause of rollout rollout-x",
      "resume rollout-x | the resume of rollout rollout-x",
      "abort rollout-x --reason test | the abort of rollout rollout-x",
      "skip-bake rollout-x --role sre | the skip-bake of rollout rollout-x",
      "decide rollout-x --choice retry | the decide of rollout rollout-x",
      "approve rollout-x --role sre | the approve of rollout rollout-x"})
  void aServerThatNeverAnswersIsGivenUpOnAtTheDeadlineNamingTheAction(String command, String what) {
    String api = "http://127.0.0.1:" + silent.getAddress().getPort();
    long from = System.nanoTime();
    Run run = Run.of((command + " --api " + api + " --timeout 1s").split(" "));
    Duration took = Duration.ofNanos(System.nanoTime() - from);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(run.err()).contains("gave up after 1s waiting for the rollout server at " + api + "/ to answer " + what);
    assertThat(took).as("the 1 s deadline, not the default 75 s").isLessThan(Duration.ofSeconds(30));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "pause rollout-x | the pause of rollout rollout-x",
      "approve rollout-x --role sre | the approve of rollout rollout-x",
      "undo rollout-x u3 --action skip --role sre --reason done | the skip of undo u3 of rollout rollout-x"})
  void aServerThatIsNotThereIsNamedWithTheAction(String command, String what) throws IOException {
    String api = "http://127.0.0.1:" + CommandLineTest.closedPort();
    Run run = Run.of((command + " --api " + api).split(" "));

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(run.err()).contains("cannot reach the rollout server at " + api + "/ for " + what);
  }
}
