package dev.rollout.activities.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Providers indexed by the spec type they serve (one traffic router per router type, one flag store
 * per store type, …). A duplicate fails at start-up; an unknown type fails listing the known ones.
 *
 * @param <P> the provider
 */
public final class Registry<P> {

  private final String what;
  private final Map<Class<?>, P> byType = new LinkedHashMap<>();

  public Registry(String what, List<? extends P> providers, Function<P, Class<?>> typeOf) {
    this.what = what;
    for (P provider : providers) {
      P clash = byType.putIfAbsent(typeOf.apply(provider), provider);
      if (clash != null) {
        throw new IllegalStateException(
            "two " + what + "s serve " + typeOf.apply(provider).getSimpleName() + ": "
                + clash.getClass().getName() + " and " + provider.getClass().getName());
      }
    }
  }

  /** The provider for {@code spec}'s type; a non-retryable failure listing the known types if none. */
  public P forSpec(Object spec) {
    if (spec == null) throw Failures.badInput(what + " spec is required");
    P provider = byType.get(spec.getClass());
    if (provider == null) {
      throw Failures.badInput(
          "no " + what + " for type " + spec.getClass().getSimpleName() + " on this worker (known: "
              + known() + ")");
    }
    return provider;
  }

  public String known() {
    return byType.keySet().stream().map(Class::getSimpleName).collect(Collectors.joining(", "));
  }
}
