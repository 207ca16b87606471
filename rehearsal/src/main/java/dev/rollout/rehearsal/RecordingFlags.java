package dev.rollout.rehearsal;

import dev.rollout.activities.FlagActivities;
import dev.rollout.plan.FlagStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keeps each store's flags (unset until set; null removes). */
public final class RecordingFlags implements FlagActivities {
  private final RehearsalWorld world;

  public RecordingFlags(RehearsalWorld world) {
    this.world = world;
  }

  @Override
  public Map<String, Object> readFlags(String rolloutId, String store, FlagStore spec, List<String> flags) {
    world.record("flags", "readFlags", store, store + " " + flags);
    Map<String, Object> current = world.flags(store);
    Map<String, Object> out = new LinkedHashMap<>();
    flags.forEach(f -> out.put(f, current.get(f)));
    return out;
  }

  @Override
  public void setFlags(String rolloutId, String store, FlagStore spec, Map<String, Object> values) {
    world.record("flags", "setFlags", store, store + " " + values);
    Map<String, Object> next = world.flags(store);
    values.forEach((k, v) -> {
      if (v == null) next.remove(k);
      else next.put(k, v);
    });
    world.flags.put(store, next);
  }
}
