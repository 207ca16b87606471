package dev.rollout.activities.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.activity.ActivityInterface;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ProcessesTest {

  @ActivityInterface
  public interface Tool {
    String run(String seconds);
  }

  /** Runs a slow command the way pg_dump runs, inside a real activity context. */
  static class ToolImpl implements Tool {
    @Override
    public String run(String seconds) {
      try {
        return Processes.run(List.of("sh", "-c", "sleep " + seconds + "; echo done"), Map.of(), Duration.ofSeconds(30), Duration.ofMillis(100)).stdout();
      } catch (Exception e) {
        throw Failures.retryable("tool", e);
      }
    }
  }

  @Test
  void aLongCommandHeartbeatsWhileItRunsInsideAnActivity() {
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    List<String> beats = new CopyOnWriteArrayList<>();
    env.setActivityHeartbeatListener(String.class, beats::add);
    env.registerActivitiesImplementations(new ToolImpl());

    String out = env.newActivityStub(Tool.class).run("0.6");

    assertThat(out).isEqualTo("done\n");
    assertThat(beats).isNotEmpty().allMatch(b -> b.equals("sh running"));
    env.close();
  }

  /**
   * The tool's own limit (30 s) is longer than the attempt's (3 s): the tool is killed before the
   * attempt times out, never left running beside the retry (a restore applying after the rollout
   * moved on). On the old code the tool ran its full 20 s after the attempt had been given up.
   */
  @Test
  void aToolNeverOutlivesTheActivityAttemptThatStartedIt() {
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new ToolImpl());
    Tool tool = env.newActivityStub(Tool.class, io.temporal.activity.ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(3))
        .setRetryOptions(io.temporal.common.RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build());
    long began = System.nanoTime();

    assertThatThrownBy(() -> tool.run("20"))
        .hasStackTraceContaining("did not finish within");
    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(15));
    env.close();
  }

  @Test
  void outsideAnActivityItRunsWithoutHeartbeatsAndCapturesTheExit() throws Exception {
    var result = Processes.run(List.of("sh", "-c", "echo oops >&2; exit 3"), Map.of("X", "1"), Duration.ofSeconds(10));

    assertThat(result.ok()).isFalse();
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.stderr()).isEqualTo("oops\n");
  }

  @Test
  void aCommandThatRunsTooLongIsKilled() {
    assertThatThrownBy(() -> Processes.run(List.of("sleep", "30"), Map.of(), Duration.ofMillis(200), Duration.ofMillis(50)))
        .isInstanceOf(IOException.class).hasMessageContaining("did not finish within");
  }
}
