package dev.rollout.client;

/**
 * The local person's name ({@code ROLLOUT_USER}, else the OS user), for what runs on this machine
 * only: the name a local server mints its admin token for, the demo's person at the terminal. The
 * API never takes an identity from a request: it authenticates a bearer token.
 */
@FunctionalInterface
public interface CallerIdentity {

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
