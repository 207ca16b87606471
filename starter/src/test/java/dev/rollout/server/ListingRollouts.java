package dev.rollout.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Four rollouts in different states, on their own targets, waiting for roles of their own (so
 * tests sharing the server can assert exact lists): {@code <p>qa} and {@code <p>bake} first wait
 * for role {@code <p>-qa}, {@code <p>ops} for role {@code <p>-ops}; {@code <p>bake} is then
 * approved and bakes for an hour, {@code <p>end} is aborted and has closed, ROLLED_BACK.
 */
public record ListingRollouts(String prefix, String qa, String ops, String bake, String end) {
  public static final Duration PATIENCE = Duration.ofSeconds(60);

  public static ListingRollouts start(TestRestTemplate http, String prefix) {
    ListingRollouts r = new ListingRollouts(prefix, TestPlans.rolloutId(prefix + "qa"), TestPlans.rolloutId(prefix + "ops"),
        TestPlans.rolloutId(prefix + "bake"), TestPlans.rolloutId(prefix + "end"));
    start(http, prefix + "qa", r.qaRole());
    start(http, prefix + "ops", r.opsRole());
    start(http, prefix + "bake", r.qaRole());
    start(http, prefix + "end", r.opsRole());
    for (String id : List.of(r.qa, r.ops, r.bake, r.end)) awaitState(http, id, "WAITING_FOR_APPROVAL");
    assertThat(post(http, r.bake, "approve", Map.of("role", r.qaRole())).getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(post(http, r.end, "abort", Map.of("reason", "listing test", "role", "sre")).getStatusCode())
        .isEqualTo(HttpStatus.OK);
    awaitState(http, r.bake, "BAKING");
    awaitState(http, r.end, "ROLLED_BACK");
    return r;
  }

  public String qaRole() {
    return prefix + "-qa";
  }

  public String opsRole() {
    return prefix + "-ops";
  }

  public String target(String id) {
    return id.substring("rollout-".length()).replace(".test", "/test");
  }

  /** Aborts the ones still running, so the shared server is left quiet. */
  public void abortRunning(TestRestTemplate http) {
    for (String id : List.of(qa, ops, bake)) post(http, id, "abort", Map.of("reason", "listing test over", "role", "sre"));
  }

  /** Polls {@code read} until it gives {@code expected}; fails with the last answer. */
  public static <T> T eventually(Supplier<T> read, T expected) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    T last = read.get();
    while (!expected.equals(last) && System.nanoTime() < deadline) {
      sleep();
      last = read.get();
    }
    return last;
  }

  private static void start(TestRestTemplate http, String service, String role) {
    String plan = TestPlans.approvalPlan(service, "1h")
        .replace("roles: [release-manager, sre]", "roles: [release-manager, sre, " + role + "]")
        .replace("roles: [sre]", "roles: [" + role + "]");
    HttpHeaders headers = TestTokens.as("alice");
    headers.setContentType(MediaType.parseMediaType("application/yaml"));
    var started = http.exchange("/rollouts", HttpMethod.POST, new HttpEntity<>(plan, headers), Map.class);
    assertThat(started.getStatusCode()).as("start %s: %s", service, started.getBody()).isEqualTo(HttpStatus.CREATED);
  }

  private static org.springframework.http.ResponseEntity<Map> post(TestRestTemplate http, String id, String action, Object body) {
    HttpHeaders headers = TestTokens.as("bob");
    headers.setContentType(MediaType.APPLICATION_JSON);
    return http.exchange("/rollouts/" + id + "/" + action, HttpMethod.POST, new HttpEntity<>(body, headers), Map.class);
  }

  private static void awaitState(TestRestTemplate http, String id, String state) {
    eventually(() -> String.valueOf(http.getForObject("/rollouts/" + id, Map.class).get("state")), state);
    assertThat(http.getForObject("/rollouts/" + id, Map.class).get("state")).as(id).isEqualTo(state);
  }

  private static void sleep() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
