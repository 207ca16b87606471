package dev.rollout.activities.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollout.activities.flags.FlagActivitiesImpl;
import dev.rollout.activities.flags.FlagStores;
import dev.rollout.activities.flags.redis.RedisFlagStore;
import dev.rollout.activities.support.Secrets;
import dev.rollout.activities.traffic.TrafficActivitiesImpl;
import dev.rollout.activities.traffic.TrafficRouters;
import dev.rollout.activities.traffic.flag.FlagBucketing;
import dev.rollout.activities.traffic.flag.FlagPercentageRouter;
import dev.rollout.plan.FlagStore;
import dev.rollout.plan.Router;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Flags in a hash on the real Redis from services.sh. */
@Tag("integration")
class RedisFlagsIntegrationTest {

  final String key = "it:flags:" + Long.toHexString(System.nanoTime());
  final FlagStore.RedisHash spec = new FlagStore.RedisHash("FLAGS_REDIS", key);
  Jedis redis;
  FlagStores stores;

  @BeforeEach
  void connect() {
    Services.requireListening("Redis", "ROLLOUT_REDIS_PORT");
    String url = "redis://127.0.0.1:" + Services.port("ROLLOUT_REDIS_PORT");
    redis = new Jedis(java.net.URI.create(url));
    stores = new FlagStores(List.of(new RedisFlagStore(new Secrets(Map.of("FLAGS_REDIS_URL", url)))));
  }

  @AfterEach
  void clean() {
    redis.del(key);
    redis.close();
  }

  @Test
  void setThenCompensateRestoresExactlyThePreviousHash() {
    redis.hset(key, Map.of("checkout-v2", "false", "banner", "blue"));
    var flags = new FlagActivitiesImpl(stores);

    Map<String, Object> previous = flags.readFlags("r-1", "prod", spec, List.of("checkout-v2", "batch-patches-v1"));
    assertThat(previous).containsEntry("checkout-v2", false).containsEntry("batch-patches-v1", null);

    flags.setFlags("r-1", "prod", spec, Map.of("checkout-v2", true, "batch-patches-v1", 10));
    assertThat(redis.hgetAll(key)).isEqualTo(Map.of("checkout-v2", "true", "batch-patches-v1", "10", "banner", "blue"));

    flags.setFlags("r-1", "prod", spec, previous);
    assertThat(redis.hgetAll(key)).isEqualTo(Map.of("checkout-v2", "false", "banner", "blue"));
  }

  @Test
  void theFlagRouterSetsThePercentageAppsBucketBy() {
    var traffic = new TrafficActivitiesImpl(new TrafficRouters(List.of(new FlagPercentageRouter(stores, Map.of("prod", spec)))));
    var router = new Router.FlagPercentage("prod", "batch-patches-v1");

    traffic.setWeight("r-1", "flag", router, 25);

    assertThat(redis.hget(key, "batch-patches-v1")).isEqualTo("25");
    double percent = Double.parseDouble(redis.hget(key, "batch-patches-v1")); // as an app reads it
    long in = IntStream.range(0, 10_000).filter(i -> FlagBucketing.isEnabled("batch-patches-v1", "user-" + i, percent)).count();
    assertThat(in).isBetween(2_300L, 2_700L);
    assertThat(traffic.currentWeight("r-1", "flag", router)).isEqualTo(25);
  }

  @Test
  void anUnreachableRedisIsRetryableAndAMissingSecretIsNot() {
    var down = new FlagActivitiesImpl(new FlagStores(List.of(new RedisFlagStore(new Secrets(Map.of("FLAGS_REDIS_URL", "redis://127.0.0.1:1"))))));
    var unconfigured = new FlagActivitiesImpl(new FlagStores(List.of(new RedisFlagStore(new Secrets(Map.of())))));

    assertThatThrownBy(() -> down.setFlags("r-1", "prod", spec, Map.of("x", 1)))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isFalse());
    assertThatThrownBy(() -> unconfigured.setFlags("r-1", "prod", spec, Map.of("x", 1)))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isTrue())
        .hasMessageContaining("FLAGS_REDIS_URL");
  }
}
