package dev.rollout.activities.flags;

import dev.rollout.activities.FlagActivities;
import dev.rollout.activities.support.Failures;
import dev.rollout.activities.support.WriteOrder;
import dev.rollout.plan.FlagStore;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads and sets feature flags in whichever store the plan declares. Absolute, so retry-safe. */
public class FlagActivitiesImpl implements FlagActivities {

  private static final Logger log = LoggerFactory.getLogger(FlagActivitiesImpl.class);

  private final FlagStores stores;
  /** Writes in the order the workflow asked (a cancelled step never lands on its undo). */
  private final WriteOrder order = new WriteOrder();

  public FlagActivitiesImpl(FlagStores stores) {
    this.stores = stores;
  }

  @Override
  public Map<String, Object> readFlags(String rolloutId, String store, FlagStore spec, List<String> flags) {
    if (flags == null || flags.isEmpty()) throw Failures.badInput("readFlags: no flags named for store '" + store + "'");
    try {
      return stores.forSpec(spec).read(spec, flags);
    } catch (Exception e) {
      throw Failures.retryable("reading flags " + flags + " from store '" + store + "'", e);
    }
  }

  @Override
  public void setFlags(String rolloutId, String store, FlagStore spec, Map<String, Object> values) {
    if (values == null || values.isEmpty()) throw Failures.badInput("setFlags: no flags given for store '" + store + "'");
    try {
      order.write("flag store '" + store + "'", () -> {
        stores.forSpec(spec).write(spec, values);
        return null;
      });
      log.info("{}: set flags {} in store {}", rolloutId, values.keySet(), store);
    } catch (Exception e) {
      throw Failures.retryable("setting flags " + values.keySet() + " in store '" + store + "'", e);
    }
  }
}
