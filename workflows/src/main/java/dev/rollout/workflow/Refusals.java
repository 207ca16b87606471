package dev.rollout.workflow;

/**
 * The exceptions update validators refuse with. Their type travels to the caller as the
 * ApplicationFailure's type (the exception's class name), which the API maps to a status:
 * {@link SecurityException} 403, {@link IllegalStateException} 409, anything else 422.
 */
final class Refusals {
  private Refusals() {}

  /** The caller may not do this: a role it lacks, the starter approving alone. */
  static SecurityException forbidden(String why) {
    return new SecurityException(why);
  }

  /** Not now: nothing of the kind is waited for, already done, the rollout has ended. */
  static IllegalStateException notNow(String why) {
    return new IllegalStateException(why);
  }

  /** The request itself is malformed: a missing user or role, an unknown role or choice. */
  static IllegalArgumentException invalid(String why) {
    return new IllegalArgumentException(why);
  }
}
