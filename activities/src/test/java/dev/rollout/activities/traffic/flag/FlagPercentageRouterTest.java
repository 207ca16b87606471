package dev.rollout.activities.traffic.flag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.activities.flags.FlagStores;
import dev.rollout.activities.flags.file.JsonFileFlagStore;
import dev.rollout.activities.traffic.TrafficActivitiesImpl;
import dev.rollout.activities.traffic.TrafficRouters;
import dev.rollout.plan.FlagStore;
import dev.rollout.plan.Router;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flag router through TrafficActivitiesImpl, with a real JSON file store. */
class FlagPercentageRouterTest {

  @TempDir Path dir;

  TrafficActivitiesImpl traffic(Path file) {
    var stores = new FlagStores(List.of(new JsonFileFlagStore()));
    var router = new FlagPercentageRouter(stores, Map.of("local", new FlagStore.JsonFile(file.toString())));
    return new TrafficActivitiesImpl(new TrafficRouters(List.of(router)));
  }

  @Test
  void setsTheRolloutPercentageAppsBucketUsersBy() throws Exception {
    Path file = dir.resolve("flags.json");
    var traffic = traffic(file);
    var spec = new Router.FlagPercentage("local", "batch-patches-v1");

    assertThat(traffic.currentWeight("r1", "flag", spec)).isZero();
    traffic.setWeight("r1", "flag", spec, 10);
    traffic.setWeight("r1", "flag", spec, 12.5);

    assertThat(Files.readString(file)).contains("\"batch-patches-v1\" : 12.5");
    assertThat(traffic.currentWeight("r1", "flag", spec)).isEqualTo(12.5);
    traffic.setWeight("r1", "flag", spec, 25);
    assertThat(Files.readString(file)).contains("\"batch-patches-v1\" : 25");
  }

  @Test
  void anUnconfiguredStoreIsNamedWithTheKnownOnes() {
    var traffic = traffic(dir.resolve("flags.json"));

    assertThatThrownBy(() -> traffic.setWeight("r1", "flag", new Router.FlagPercentage("redis-prod", "f"), 10))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isTrue())
        .hasMessageContaining("'redis-prod'").hasMessageContaining("known: local");
  }

  @Test
  void anUnknownRouterTypeListsTheKnownOnes() {
    var traffic = traffic(dir.resolve("flags.json"));

    assertThatThrownBy(() -> traffic.setWeight("r1", "lb", new Router.HttpProxy("http://x"), 10))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isTrue())
        .hasMessageContaining("HttpProxy").hasMessageContaining("known: FlagPercentage");
  }

  @Test
  void aPercentOutsideZeroToHundredChangesNothing() throws Exception {
    Path file = dir.resolve("flags.json");
    var traffic = traffic(file);

    assertThatThrownBy(() -> traffic.setWeight("r1", "flag", new Router.FlagPercentage("local", "f"), 150))
        .hasMessageContaining("between 0 and 100");
    assertThat(Files.exists(file)).isFalse();
  }
}
