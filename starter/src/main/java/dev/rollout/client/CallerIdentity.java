package dev.rollout.client;

/**
 * Who is acting: the one place every start, approval and abort gets its user from.
 *
 * <p>There is no authentication yet, so the identity is the configured local one: {@code
 * ROLLOUT_USER}, else the OS user. The CLI sends it to the API in the {@link #HEADER} header; an
 * authentication layer will later supply the caller from its credentials instead, by providing
 * another implementation of this interface.
 */
@FunctionalInterface
public interface CallerIdentity {

  /** The HTTP header the CLI sends the local identity in (until authentication exists). */
  String HEADER = "X-Rollout-User";

  /** The caller's user name; never blank. */
  String user();

  /** The configured local identity: {@code ROLLOUT_USER}, else the OS user. */
  static CallerIdentity local() {
    return () -> localUser(System.getenv("ROLLOUT_USER"));
  }

  /** {@code configured} when set, else the OS user. */
  static String localUser(String configured) {
    if (configured != null && !configured.isBlank()) {
      return configured.strip();
    }
    String os = System.getProperty("user.name");
    return os == null || os.isBlank() ? "unknown" : os;
  }
}
