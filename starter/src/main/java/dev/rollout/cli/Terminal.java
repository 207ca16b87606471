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

  /** The caller's identity sent with every action: {@code ROLLOUT_USER}, else the OS user. */
  public String user() {
    return CallerIdentity.localUser(env.get("ROLLOUT_USER"));
  }

  /** The API base URL: {@code ROLLOUT_API}, else the local default. */
  public String defaultApi() {
    String configured = env.get("ROLLOUT_API");
    return configured == null || configured.isBlank() ? "http://127.0.0.1:8088" : configured.trim();
  }
}
