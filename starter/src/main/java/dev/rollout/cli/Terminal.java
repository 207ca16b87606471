package dev.rollout.cli;

import dev.rollout.client.CallerIdentity;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.util.Map;

/**
 * What a command reads and writes besides its options: its output streams, the user's answers
 * and the environment. Tests build one over strings; {@link RolloutCli#main} over the process'.
 */
public record Terminal(PrintWriter out, PrintWriter err, BufferedReader in, Map<String, String> env) {

  /**
   * The local person's name, used where the CLI itself mints a token (the demo's approver at the
   * terminal, the server's local admin): {@code ROLLOUT_USER}, else the OS user. The API never
   * takes a name from a request: it knows the caller by their token.
   */
  public String user() {
    return CallerIdentity.localUser(env.get("ROLLOUT_USER"));
  }

  /** The API token: {@code ROLLOUT_TOKEN}, else the 0600 token file; null when there is none. */
  public String token() {
    return TokenStore.token(this);
  }

  /** The API base URL: {@code ROLLOUT_API}, else the local default. */
  public String defaultApi() {
    String configured = env.get("ROLLOUT_API");
    return configured == null || configured.isBlank() ? "http://127.0.0.1:8088" : configured.trim();
  }
}
