package dev.rollout.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The people of the demo and the tokens minted for them: all in the group the demo allows everything. */
final class DemoPeople {
  private final Map<String, String> tokens = new HashMap<>();
  private final String terminalUser;

  DemoPeople(LocalAccess access, String terminalUser, List<String> roles) {
    this.terminalUser = terminalUser;
    tokens.put(DemoCommand.PIPELINE_USER, access.mint("demo-pipeline", DemoCommand.PIPELINE_USER, "demo"));
    tokens.put(terminalUser, access.mint("demo-terminal", terminalUser, "demo"));
    for (String role : roles) {
      String person = approverFor(role);
      tokens.computeIfAbsent(person, p -> access.mint(p, p, "demo"));
    }
  }

  /** The simulated approver for a role under --auto-approve. */
  static String approverFor(String role) {
    return "demo-" + role.toLowerCase().replaceAll("[^a-z0-9]+", "-");
  }

  String pipelineToken() {
    return tokens.get(DemoCommand.PIPELINE_USER);
  }

  String terminalToken() {
    return tokens.get(terminalUser);
  }

  String tokenOf(String person) {
    String token = tokens.get(person);
    if (token == null) throw new IllegalStateException("the demo minted no token for " + person);
    return token;
  }
}
