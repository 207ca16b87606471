package dev.rollout.plan;

/**
 * What a plan rolls out: a service in an environment. Each target is locked on its own: only one
 * rollout acts on it at a time.
 *
 * @param name optional: how phases refer to it ({@code target: production}); a phase may also
 *     write {@link #key()}
 */
public record Target(String service, String environment, String name) {

  public Target(String service, String environment) {
    this(service, environment, null);
  }

  /** The stable key used to derive the workflow id, e.g. {@code drivemind/production}. */
  public String key() {
    return service + "/" + environment;
  }

  /** True when a phase's {@code target:} names this target, by name or by key. */
  public boolean isNamed(String reference) {
    return reference != null && (reference.equals(name) || reference.equals(key()));
  }
}
