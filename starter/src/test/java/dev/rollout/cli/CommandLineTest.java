package dev.rollout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What every user meets first: help, version, usage errors, completion, an absent server. */
class CommandLineTest {

  @Test
  void helpListsEveryCommandAndTheExitCodes() {
    Run run = Run.of("--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("validate", "rehearse", "start", "list", "status", "watch", "approve", "reject", "confirm",
            "pause", "resume", "abort", "skip-bake", "decide", "server", "demo", "completion")
        .contains("3 cannot reach the server");
  }

  @Test
  void aTokenFileOthersCanReadIsRefusedAndA0600OneIsSent(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path token = dir.resolve("token");
    java.nio.file.Files.writeString(token, "rot_secret\n");
    java.nio.file.Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    Run open = Run.with(java.util.Map.of("ROLLOUT_CONFIG_DIR", dir.toString()), "", "status", "x", "--api", "http://127.0.0.1:9");
    assertThat(open.exitCode()).as(open.toString()).isEqualTo(1);
    assertThat(open.err()).contains("readable by others").contains("chmod 600");

    TokenStore.write(token, "rot_secret");
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(token)))
        .isEqualTo("rw-------");
    Run closed = Run.with(java.util.Map.of("ROLLOUT_CONFIG_DIR", dir.toString()), "", "status", "x", "--api", "http://127.0.0.1:9");
    assertThat(closed.exitCode()).as("read the token, then found no server").isEqualTo(3);
  }

  @Test
  void versionNamesTheProgram() {
    assertThat(Run.of("--version").out()).startsWith("rollout ");
  }

  @Test
  void noCommandIsAUsageError() {
    Run run = Run.of();

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("Missing a command");
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    Run run = Run.of("deploy", "x");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Unmatched argument");
  }

  @Test
  void approveWithoutARoleIsAUsageErrorNamingTheOption() {
    Run run = Run.of("approve", "rollout-x");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--role");
  }

  @Test
  void decideRefusesAnUnknownChoiceAndListsTheValidOnes() {
    Run run = Run.of("decide", "rollout-x", "--choice", "maybe");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("ROLLBACK", "RETRY", "CONTINUE");
  }

  @Test
  void anUnknownOutputFormatIsAUsageError() {
    Run run = Run.of("status", "rollout-x", "--output", "xml");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("text", "json");
  }

  @ParameterizedTest
  @ValueSource(strings = {"list", "status rollout-x", "watch rollout-x", "approve rollout-x --role sre",
      "reject rollout-x --role sre", "confirm rollout-x --item audit --role qa", "pause rollout-x", "resume rollout-x",
      "abort rollout-x --reason test", "skip-bake rollout-x --role sre", "decide rollout-x --choice retry"})
  void aServerThatCannotBeReachedExitsThreeAndSaysHowToStartOne(String command) throws IOException {
    String api = "http://127.0.0.1:" + closedPort();
    Run run = Run.of((command + " --api " + api).split(" "));

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(run.err()).contains("cannot reach the rollout server at " + api, "./rollout server");
  }

  @Test
  void theApiAddressComesFromRolloutApiWhenNoOptionIsGiven() throws IOException {
    String api = "http://127.0.0.1:" + closedPort();
    Run run = Run.with(java.util.Map.of("ROLLOUT_API", api), "", "list");

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err()).contains(api);
  }

  @Test
  void completionPrintsABashScriptCoveringTheCommands() {
    Run run = Run.of("completion");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("complete -F", "_picocli_rollout", "skip-bake", "--auto-approve");
  }

  /** A port nothing listens on: bound, then released. */
  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
