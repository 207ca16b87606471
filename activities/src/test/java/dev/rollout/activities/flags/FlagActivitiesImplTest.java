package dev.rollout.activities.flags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.activities.flags.file.JsonFileFlagStore;
import dev.rollout.plan.FlagStore;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlagActivitiesImplTest {

  @TempDir Path dir;
  final FlagActivitiesImpl flags = new FlagActivitiesImpl(new FlagStores(List.of(new JsonFileFlagStore())));

  @Test
  void theCompensationRestoresExactlyThePreviousValuesIncludingAbsence() throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, "{\"checkout\": false, \"banner\": \"blue\"}");
    var spec = new FlagStore.JsonFile(file.toString());
    String before = Files.readString(file);

    Map<String, Object> previous = flags.readFlags("r1", "local", spec, List.of("checkout", "batch-patches-v1"));
    flags.setFlags("r1", "local", spec, Map.of("checkout", true, "batch-patches-v1", 10));
    assertThat(flags.readFlags("r1", "local", spec, List.of("checkout", "batch-patches-v1")))
        .containsEntry("checkout", true).containsEntry("batch-patches-v1", 10);

    flags.setFlags("r1", "local", spec, previous);

    assertThat(flags.readFlags("r1", "local", spec, List.of("checkout", "batch-patches-v1", "banner")))
        .containsEntry("checkout", false).containsEntry("batch-patches-v1", null).containsEntry("banner", "blue");
    assertThat(Files.readString(file).replaceAll("\\s", "")).isEqualTo(before.replaceAll("\\s", ""));
  }

  @Test
  void aStoreTypeTheWorkerDoesNotHaveIsNonRetryable() {
    assertThatThrownBy(() -> flags.setFlags("r1", "k8s", new FlagStore.ConfigMap("ns", "flags"), Map.of("x", 1)))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isTrue())
        .hasMessageContaining("ConfigMap").hasMessageContaining("known: JsonFile");
  }
}
