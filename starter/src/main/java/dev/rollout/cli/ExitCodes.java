package dev.rollout.cli;

/** The exit codes every command uses; scripts and CD pipelines rely on them. */
public final class ExitCodes {
  private ExitCodes() {}

  public static final int OK = 0;
  /** The plan is invalid, or the server refused the request (unknown id, busy target, not allowed). */
  public static final int REFUSED = 1;
  /** The command line was wrong (picocli's own usage-error code). */
  public static final int USAGE = 2;
  /** The API server could not be reached. */
  public static final int UNREACHABLE = 3;
}
