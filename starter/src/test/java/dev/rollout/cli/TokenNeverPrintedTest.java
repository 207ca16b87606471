package dev.rollout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's token acts as its owner: whatever goes wrong (a malformed token, an unreachable
 * server), nothing the CLI prints holds it.
 */
class TokenNeverPrintedTest {
  static final String SECRET = "rot_s3cret_" + "q".repeat(32);

  @Test
  void aTokenWithALineBreakIsRefusedWithoutPrintingIt() {
    // Two tokens pasted into ROLLOUT_TOKEN: the HTTP client's own error would quote the header.
    Run run = Run.with(Map.of("ROLLOUT_TOKEN", SECRET + "\n" + SECRET + "2"), "", "status", "x", "--api", "http://127.0.0.1:9");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("ROLLOUT_TOKEN").contains("one line").doesNotContain(SECRET).doesNotContain("Exception");
    assertThat(run.out()).doesNotContain(SECRET);
  }

  @Test
  void aTokenFileWithTwoLinesIsRefusedWithoutPrintingIt(@TempDir Path dir) throws Exception {
    TokenStore.write(dir.resolve(TokenStore.FILE), SECRET + "\r\nold-" + SECRET);
    Run run = Run.with(Map.of("ROLLOUT_CONFIG_DIR", dir.toString()), "", "approve", "x", "--role", "sre",
        "--api", "http://127.0.0.1:9");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains(dir.resolve(TokenStore.FILE).toString()).doesNotContain(SECRET);
  }

  @Test
  void anUnreachableServerIsReportedWithoutTheToken() {
    Run run = Run.with(Map.of("ROLLOUT_TOKEN", SECRET), "", "approve", "x", "--role", "sre", "--api", "http://127.0.0.1:9");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(run.err() + run.out()).doesNotContain(SECRET);
  }

  @Test
  void aPasswordInTheApiUrlIsNotPrintedEither() {
    Run run = Run.with(Map.of("ROLLOUT_TOKEN", SECRET), "", "status", "x", "--api", "http://ops:hunter2pw@127.0.0.1:9");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(run.err()).contains("http://127.0.0.1:9/").doesNotContain("hunter2pw").doesNotContain(SECRET);
  }

  @Test
  void aValidTokenFileIsStillRead(@TempDir Path dir) throws Exception {
    TokenStore.write(dir.resolve(TokenStore.FILE), SECRET);
    assertThat(Files.readString(dir.resolve(TokenStore.FILE)).strip()).isEqualTo(SECRET);
    Run run = Run.with(Map.of("ROLLOUT_CONFIG_DIR", dir.toString()), "", "status", "x", "--api", "http://127.0.0.1:9");
    assertThat(run.exitCode()).as("read the token, then found no server: " + run).isEqualTo(ExitCodes.UNREACHABLE);
  }
}
