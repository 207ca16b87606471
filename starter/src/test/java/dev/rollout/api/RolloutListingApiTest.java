package dev.rollout.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollout.cli.Run;
import dev.rollout.server.ListingRollouts;
import dev.rollout.server.RolloutServerTest;
import dev.rollout.server.TestTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;

/**
 * Listing by search attribute on the embedded server (Temporal's test server, whose own
 * ListWorkflowExecutions is UNIMPLEMENTED): through the API and the CLI, by target, state, the role
 * a rollout waits for, and combinations — exact ids, among the rollouts of this test.
 */
@RolloutServerTest
class RolloutListingApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Autowired TestRestTemplate http;
  @LocalServerPort int port;
  ListingRollouts rollouts;

  @AfterEach
  void quiet() {
    if (rollouts != null) rollouts.abortRunning(http);
  }

  @Test
  void listsByTargetStateAndWaitingForRoleThroughTheApiAndTheCli() throws Exception {
    ListingRollouts r = rollouts = ListingRollouts.start(http, "lsta");

    // the role filter is answered by the search attribute the rollout keeps current
    assertThat(api("waitingFor=" + r.qaRole(), List.of(r.qa()))).containsExactly(r.qa()); // bake was approved: no longer waits
    assertThat(api("waitingFor=" + r.opsRole(), List.of(r.ops()))).containsExactly(r.ops()); // end was aborted
    assertThat(api("target=" + r.target(r.bake()), List.of(r.bake()))).containsExactly(r.bake());
    assertThat(api("target=lstaops", List.of(r.ops()))).containsExactly(r.ops()); // a bare service name
    assertThat(mine(api("state=BAKING", List.of(r.bake())), r)).containsExactly(r.bake());
    assertThat(mine(api("state=ROLLED_BACK", List.of(r.end())), r)).containsExactly(r.end());
    assertThat(mine(api("state=WAITING_FOR_APPROVAL", List.of(r.ops(), r.qa())), r)).containsExactly(r.ops(), r.qa());
    assertThat(api("state=WAITING_FOR_APPROVAL&waitingFor=" + r.qaRole(), List.of(r.qa()))).containsExactly(r.qa());
    assertThat(api("state=BAKING&target=" + r.target(r.qa()), List.of())).isEmpty();
    assertThat(api("waitingFor=nobody-waits-for-this", List.of())).isEmpty();

    assertThat(cli("--waiting-for", r.qaRole())).containsExactly(r.qa());
    assertThat(cli("--target", r.target(r.end()))).containsExactly(r.end());
    assertThat(mine(cli("--state", "BAKING"), r)).containsExactly(r.bake());
    assertThat(cli("--state", "WAITING_FOR_APPROVAL", "--waiting-for", r.opsRole())).containsExactly(r.ops());
    Run table = Run.with(Map.of("ROLLOUT_TOKEN", TestTokens.of("bob")), "",
        "list", "--waiting-for", r.opsRole(), "--api", "http://127.0.0.1:" + port);
    assertThat(table.out()).as(table.toString()).contains(r.ops(), "WAITING_FOR_APPROVAL", "lstaops/test");
  }

  @Test
  void aFilterValueWithAQuoteIsABadRequestNotAQuery() {
    var refused = http.getForEntity("/rollouts?waitingFor={role}", Map.class, "sre' OR '1'='1");
    assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
  }

  /**
   * Sorted ids the API lists, polled until this test's among them are {@code expected} (search
   * attributes follow the state a moment later); every id listed is returned.
   */
  private List<String> api(String query, List<String> expected) {
    List<String> sortedExpected = expected.stream().sorted().toList();
    List<List<String>> last = new ArrayList<>();
    ListingRollouts.eventually(() -> {
      last.add(0, sorted(JSON.valueToTree(http.getForObject("/rollouts?" + query, List.class))));
      return mine(last.get(0), rollouts);
    }, sortedExpected);
    return last.get(0);
  }

  private List<String> cli(String... filter) throws Exception {
    List<String> args = new ArrayList<>(List.of("list"));
    args.addAll(List.of(filter));
    args.addAll(List.of("-o", "json", "--api", "http://127.0.0.1:" + port));
    Run run = Run.with(Map.of("ROLLOUT_TOKEN", TestTokens.of("bob")), "", args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.toString()).isZero();
    return sorted(JSON.readTree(run.out()));
  }

  private static List<String> sorted(JsonNode rows) {
    return StreamSupport.stream(rows.spliterator(), false).map(n -> n.path("rolloutId").asText()).sorted().toList();
  }

  /** Only this test's rollouts: other tests share the server. */
  private static List<String> mine(List<String> ids, ListingRollouts r) {
    return ids.stream().filter(id -> id.startsWith("rollout-" + r.prefix())).toList();
  }
}
