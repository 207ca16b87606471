package dev.rollout.activities.flags;

import dev.rollout.activities.support.Registry;
import dev.rollout.plan.FlagStore;
import java.util.List;

/** The flag stores this worker has, one per {@link FlagStore} type. */
public final class FlagStores {

  private final Registry<FlagStoreClient<?>> registry;

  public FlagStores(List<? extends FlagStoreClient<?>> clients) {
    this.registry = new Registry<>("flag store", clients, FlagStoreClient::type);
  }

  /** The client serving {@code spec}; a non-retryable failure naming the known types if none. */
  @SuppressWarnings("unchecked")
  public <S extends FlagStore> FlagStoreClient<S> forSpec(S spec) {
    return (FlagStoreClient<S>) registry.forSpec(spec);
  }
}
