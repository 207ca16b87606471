package dev.rollout.worker;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollout.plan.FlagStore;
import dev.rollout.plan.Plans;
import java.util.Map;

/**
 * The flag stores a flag-percentage router may name, from the worker's configuration ({@code
 * rollout.worker.flag-stores} / {@code ROLLOUT_WORKER_FLAG_STORES}): a JSON object of store name
 * to store, written as in a plan's resources, e.g. {@code {"edge": {"type": "redis", "connection":
 * "EDGE_REDIS", "key": "flags"}}}.
 */
public record WorkerFlagStores(Map<String, FlagStore> stores) {

  public static WorkerFlagStores parse(String json) {
    if (json == null || json.isBlank()) {
      return new WorkerFlagStores(Map.of());
    }
    ObjectMapper mapper = Plans.mapper();
    try {
      return new WorkerFlagStores(mapper.readValue(json, new TypeReference<Map<String, FlagStore>>() {}));
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "rollout.worker.flag-stores: not a JSON object of flag stores (" + e.getMessage() + ")", e);
    }
  }
}
