package dev.rollout.plan;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** Where feature flags live; the {@code type} picks one. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = FlagStore.ConfigMap.class, name = "configmap"),
  @JsonSubTypes.Type(value = FlagStore.RedisHash.class, name = "redis"),
  @JsonSubTypes.Type(value = FlagStore.JsonFile.class, name = "file"),
})
public sealed interface FlagStore {

  List<String> TYPES = List.of("configmap", "redis", "file");

  /**
   * Null or false: a rollout stops before changing anything when a flag it sets already holds the
   * value it sets and the plan declares no {@code rollbackValues} for it (a rollback would leave
   * it so); true: start from the live values and roll back to them.
   */
  Boolean adoptLiveState();

  default boolean adoptsLiveState() {
    return Boolean.TRUE.equals(adoptLiveState());
  }

  record ConfigMap(String namespace, String name, Boolean adoptLiveState) implements FlagStore {
    public ConfigMap(String namespace, String name) {
      this(namespace, name, null);
    }
  }

  /** @param connection the configuration name of the Redis URL (a secret), e.g. {@code FLAGS_REDIS} */
  record RedisHash(String connection, String key, Boolean adoptLiveState) implements FlagStore {
    public RedisHash(String connection, String key) {
      this(connection, key, null);
    }
  }

  record JsonFile(String path, Boolean adoptLiveState) implements FlagStore {
    public JsonFile(String path) {
      this(path, null);
    }
  }
}
