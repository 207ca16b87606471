package dev.rollout.plan;

/** What a plan rolls out: a service in an environment. Only one rollout per target runs at once. */
public record Target(String service, String environment) {

  /** The stable key used to derive the workflow id, e.g. {@code drivemind/production}. */
  public String key() {
    return service + "/" + environment;
  }
}
