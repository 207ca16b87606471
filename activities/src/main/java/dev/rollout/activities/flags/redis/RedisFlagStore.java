package dev.rollout.activities.flags.redis;

import dev.rollout.activities.flags.FlagStoreClient;
import dev.rollout.activities.flags.FlagValues;
import dev.rollout.activities.support.Failures;
import dev.rollout.activities.support.Secrets;
import dev.rollout.plan.FlagStore;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

/** Flags as fields of a Redis hash; the URL comes from the secret {@code <connection>_URL}. */
public class RedisFlagStore implements FlagStoreClient<FlagStore.RedisHash> {

  private final Secrets secrets;

  public RedisFlagStore(Secrets secrets) {
    this.secrets = secrets;
  }

  @Override
  public Class<FlagStore.RedisHash> type() {
    return FlagStore.RedisHash.class;
  }

  @Override
  public Map<String, Object> read(FlagStore.RedisHash spec, List<String> flags) {
    try (Jedis jedis = connect(spec)) {
      List<String> values = jedis.hmget(spec.key(), flags.toArray(String[]::new));
      Map<String, Object> read = new HashMap<>();
      for (int i = 0; i < flags.size(); i++) read.put(flags.get(i), FlagValues.decode(values.get(i)));
      return read;
    }
  }

  /** All fields in one MULTI/EXEC, so apps never see half a change. */
  @Override
  public void write(FlagStore.RedisHash spec, Map<String, Object> values) {
    try (Jedis jedis = connect(spec)) {
      Transaction tx = jedis.multi();
      values.forEach((flag, value) -> {
        if (value == null) tx.hdel(spec.key(), flag);
        else tx.hset(spec.key(), flag, FlagValues.encode(value));
      });
      tx.exec();
    }
  }

  private Jedis connect(FlagStore.RedisHash spec) {
    if (spec.key() == null || spec.key().isBlank()) throw Failures.badInput("redis flag store needs a key");
    return new Jedis(URI.create(secrets.require(spec.connection() + "_URL")));
  }
}
