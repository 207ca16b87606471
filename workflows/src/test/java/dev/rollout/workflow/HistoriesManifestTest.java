package dev.rollout.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Stored histories are evidence of what rollouts in flight did: never regenerated, only added.
 * Every file under {@code histories/} must be listed in {@code SHA256SUMS} with the sum it was
 * committed with; a changed, removed or unlisted file fails here. Add a new history with
 * {@code sha256sum new-file.json >> SHA256SUMS}; never edit an existing line.
 */
class HistoriesManifestTest {
  private static final Path MANIFEST = StoredHistories.DIR.resolve("SHA256SUMS");

  private static Map<String, String> manifest() throws IOException {
    Map<String, String> sums = new TreeMap<>();
    for (String line : Files.readAllLines(MANIFEST)) {
      if (line.isBlank()) continue;
      String[] parts = line.trim().split("\\s+\\*?", 2);
      sums.put(parts[1], parts[0]);
    }
    return sums;
  }

  private static Map<String, String> onDisk() throws IOException {
    try (Stream<Path> files = Files.list(StoredHistories.DIR)) {
      return files.filter(f -> !f.equals(MANIFEST))
          .collect(Collectors.toMap(f -> f.getFileName().toString(), HistoriesManifestTest::sha256, (a, b) -> a, TreeMap::new));
    }
  }

  private static String sha256(Path file) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void everyStoredHistoryIsListedUnchanged() throws IOException {
    Map<String, String> listed = manifest();
    Map<String, String> stored = onDisk();
    assertThat(stored.keySet()).as("histories removed since they were listed").containsAll(listed.keySet());
    assertThat(listed.keySet()).as("histories not yet listed in SHA256SUMS (add, never edit)").containsAll(stored.keySet());
    listed.forEach((name, sum) ->
        assertThat(stored.get(name)).as(name + " changed: stored histories are never regenerated").isEqualTo(sum));
  }
}
