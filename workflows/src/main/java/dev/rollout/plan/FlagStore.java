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

  record ConfigMap(String namespace, String name) implements FlagStore {}

  /** @param connection the configuration name of the Redis URL (a secret), e.g. {@code FLAGS_REDIS} */
  record RedisHash(String connection, String key) implements FlagStore {}

  record JsonFile(String path) implements FlagStore {}
}
