package dev.rollout.chaos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rollout.activities.FlagActivities;
import dev.rollout.plan.FlagStore;
import java.util.List;
import java.util.Map;

/** The real flag activities; every write is written to the ledger once the store holds it. */
final class LedgeredFlags implements FlagActivities {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private final FlagActivities real;
  private final Ledger ledger;

  LedgeredFlags(FlagActivities real, Ledger ledger) {
    this.real = real;
    this.ledger = ledger;
  }

  @Override
  public Map<String, Object> readFlags(String rolloutId, String store, FlagStore spec, List<String> flags) {
    return real.readFlags(rolloutId, store, spec, flags);
  }

  @Override
  public void setFlags(String rolloutId, String store, FlagStore spec, Map<String, Object> values) {
    real.setFlags(rolloutId, store, spec, values);
    ledger.record(rolloutId, "flags " + store, "setFlags", format(values));
  }

  /** How the ledger writes flag values: JSON with sorted keys, a removed flag as null. */
  static String format(Map<String, Object> values) {
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("flag values are not JSON: " + e.getMessage(), e);
    }
  }
}
