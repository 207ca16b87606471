package dev.rollout.activities.flags;

import dev.rollout.plan.FlagStore;
import java.util.List;
import java.util.Map;

/**
 * One kind of flag store ({@code flags/configmap}, {@code flags/redis}, {@code flags/file}).
 *
 * @param <S> the store spec this client serves
 */
public interface FlagStoreClient<S extends FlagStore> {

  /** The spec type this client serves; the registry picks a client by it. */
  Class<S> type();

  /** The current value of each flag; a flag that is not set maps to null. */
  Map<String, Object> read(S spec, List<String> flags) throws Exception;

  /** Sets every flag to its value in one change where the store allows; null removes a flag. */
  void write(S spec, Map<String, Object> values) throws Exception;
}
