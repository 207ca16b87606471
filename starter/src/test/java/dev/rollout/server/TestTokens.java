package dev.rollout.server;

import dev.rollout.api.security.StaticTokens;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpHeaders;

/**
 * The static API tokens the test servers know ({@link RolloutServerTest}): the token of user
 * {@code u} is {@code rot_test_u}. Members of group "testers" may do everything as any role;
 * the others ("mallory", "viewer", "starter-only", "pm-only", "burst") only what a test grants.
 */
public final class TestTokens {
  private TestTokens() {}

  public static final List<String> TESTERS =
      List.of("server-user", "alice", "bob", "carol", "dave", "erin", "frank", "gina", "hank", "ivy", "judy", "kim",
          "pipeline", "test", "tester", "newcomer");

  /** The same tokens and rules as {@link RolloutServerTest}, as command-line arguments. */
  public static List<String> serverArgs() {
    List<String> args = new ArrayList<>();
    args.add("--rollout.security.access.testers.subjects=group:testers");
    args.add("--rollout.security.access.testers.actions=START,PAUSE,ABORT,DECIDE,SKIP_BAKE,APPROVE");
    args.add("--rollout.security.access.testers.roles=*");
    args.add("--rollout.security.limits.requests-per-minute=100000");
    for (String u : TESTERS) {
      args.add("--rollout.security.tokens." + u + ".principal=" + u);
      args.add("--rollout.security.tokens." + u + ".groups=testers");
      args.add("--rollout.security.tokens." + u + ".sha256=" + StaticTokens.sha256(of(u)));
    }
    return args;
  }

  public static String of(String user) {
    return "rot_test_" + user;
  }

  public static HttpHeaders as(String user) {
    HttpHeaders headers = new HttpHeaders();
    headers.setBearerAuth(of(user));
    return headers;
  }
}
