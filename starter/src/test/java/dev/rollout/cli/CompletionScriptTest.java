package dev.rollout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The completion script in the repository is the one the CLI prints: regenerate it when commands change. */
class CompletionScriptTest {

  @Test
  void theCommittedScriptMatchesTheCommands() throws Exception {
    Path committed = Path.of("..", "scripts", "completion", "rollout.bash");

    assertThat(Files.readString(committed))
        .as("regenerate it: ./rollout completion > scripts/completion/rollout.bash")
        .isEqualTo(Run.of("completion").out());
  }
}
