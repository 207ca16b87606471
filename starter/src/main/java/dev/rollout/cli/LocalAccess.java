package dev.rollout.cli;

import dev.rollout.api.security.StaticTokens;
import java.util.ArrayList;
import java.util.List;

/**
 * Tokens a local server ({@code ./rollout server}, {@code ./rollout demo}) mints for itself at
 * start, passed to the server as configuration: only their SHA-256 goes there.
 */
final class LocalAccess {
  private final List<String> args = new ArrayList<>();

  /** Mints a token for {@code principal} in {@code groups}; returns the token itself. */
  String mint(String name, String principal, String... groups) {
    String token = StaticTokens.mint();
    String prefix = "--rollout.security.tokens." + name + ".";
    args.add(prefix + "principal=" + principal);
    args.add(prefix + "groups=" + String.join(",", groups));
    args.add(prefix + "sha256=" + StaticTokens.sha256(token));
    return token;
  }

  /** Lets {@code group} do everything on every target, as any role. */
  LocalAccess allowEverything(String rule, String group) {
    String prefix = "--rollout.security.access." + rule + ".";
    args.add(prefix + "subjects=group:" + group);
    args.add(prefix + "actions=START,PAUSE,ABORT,DECIDE,SKIP_BAKE,APPROVE");
    args.add(prefix + "roles=*");
    return this;
  }

  List<String> args() {
    return args;
  }
}
