package dev.rollout.cli;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;

/** Runs one {@code rollout} command line in-process and keeps what it printed and its exit code. */
public record Run(int exitCode, String out, String err) {

  public static Run of(String... args) {
    return with(Map.of(), "", args);
  }

  /** With extra environment variables and what the user types at prompts. */
  public static Run with(Map<String, String> env, String input, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Map<String, String> environment = new HashMap<>(env);
    environment.putIfAbsent("ROLLOUT_USER", "tester");
    Terminal terminal =
        new Terminal(new PrintWriter(out, true), new PrintWriter(err, true),
            new BufferedReader(new StringReader(input)), environment);
    int code = RolloutCli.execute(terminal, args);
    return new Run(code, out.toString(), err.toString());
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
  }
}
