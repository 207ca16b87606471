package dev.rollout.activities.traffic.flag;

import dev.rollout.activities.flags.FlagStores;
import dev.rollout.activities.support.Failures;
import dev.rollout.activities.traffic.TrafficRouter;
import dev.rollout.activities.traffic.Weights;
import dev.rollout.plan.FlagStore;
import dev.rollout.plan.Router;
import java.util.List;
import java.util.Map;

/**
 * The seeds' recommended "flag hash" split: the rollout percentage of a flag, which apps read and
 * apply per user with {@link FlagBucketing}. The router spec names a flag store; the worker's
 * configuration says what that store is (a router spec carries no plan resources).
 */
public class FlagPercentageRouter implements TrafficRouter<Router.FlagPercentage> {

  private final FlagStores stores;
  private final Map<String, FlagStore> namedStores;

  public FlagPercentageRouter(FlagStores stores, Map<String, FlagStore> namedStores) {
    this.stores = stores;
    this.namedStores = Map.copyOf(namedStores);
  }

  @Override
  public Class<Router.FlagPercentage> type() {
    return Router.FlagPercentage.class;
  }

  @Override
  public void setWeight(Router.FlagPercentage spec, double percent) throws Exception {
    Weights.checkPercent(percent);
    Object value = percent == Math.rint(percent) ? (Object) (long) percent : (Object) percent;
    FlagStore store = store(spec);
    stores.forSpec(store).write(store, Map.of(flag(spec), value));
  }

  @Override
  public double readWeight(Router.FlagPercentage spec) throws Exception {
    FlagStore store = store(spec);
    Object value = stores.forSpec(store).read(store, List.of(flag(spec))).get(spec.flag());
    if (value == null) return 0;
    if (value instanceof Number n) return n.doubleValue();
    throw Failures.badInput("flag " + spec.flag() + " holds '" + value + "', not a rollout percentage");
  }

  private FlagStore store(Router.FlagPercentage spec) {
    FlagStore store = namedStores.get(spec.store());
    if (store == null) {
      throw Failures.badInput(
          "flag store '" + spec.store() + "' of a flag router is not configured on the worker (known: "
              + String.join(", ", namedStores.keySet()) + ")");
    }
    return store;
  }

  private static String flag(Router.FlagPercentage spec) {
    if (spec.flag() == null || spec.flag().isBlank()) throw Failures.badInput("flag router needs a flag");
    return spec.flag();
  }
}
