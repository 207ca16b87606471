package dev.rollout.activities.flags.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.plan.FlagStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonFileFlagStoreTest {

  @TempDir Path dir;
  final JsonFileFlagStore store = new JsonFileFlagStore();

  @Test
  void setsReadsAndRemovesFlagsKeepingOthers() throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, "{\"keep\": \"me\", \"old\": true}");
    var spec = new FlagStore.JsonFile(file.toString());
    Map<String, Object> values = new HashMap<>();
    values.put("new-checkout", 25);
    values.put("old", null);

    store.write(spec, values);

    assertThat(store.read(spec, List.of("new-checkout", "old", "keep")))
        .containsEntry("new-checkout", 25).containsEntry("old", null).containsEntry("keep", "me");
    assertThat(Files.readString(file)).doesNotContain("\"old\"");
    assertThat(dir.toFile().list()).containsExactly("flags.json"); // no temp file left behind
  }

  @Test
  void aMissingFileReadsAsNoFlagsAndIsCreatedOnWrite() throws Exception {
    var spec = new FlagStore.JsonFile(dir.resolve("sub/flags.json").toString());

    assertThat(store.read(spec, List.of("x"))).containsEntry("x", null);
    store.write(spec, Map.of("x", "on"));
    assertThat(store.read(spec, List.of("x"))).containsEntry("x", "on");
  }

  @Test
  void aFileThatIsNotAJsonObjectIsBadInputAndLeftAlone() throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, "[1,2]");

    assertThatThrownBy(() -> store.write(new FlagStore.JsonFile(file.toString()), Map.of("x", 1)))
        .hasMessageContaining("not a JSON object");
    assertThat(Files.readString(file)).isEqualTo("[1,2]");
  }
}
