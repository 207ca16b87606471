package dev.rollout.cli;

/** Ends a command with a message for the user and one of the documented exit codes. */
public class CliException extends RuntimeException {

  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }

  /** The plan is invalid or the server refused the request. */
  public static CliException refused(String message) {
    return new CliException(ExitCodes.REFUSED, message);
  }
}
