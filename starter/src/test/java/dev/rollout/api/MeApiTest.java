package dev.rollout.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.server.RolloutServerTest;
import dev.rollout.server.TestPlans;
import dev.rollout.server.TestTokens;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** GET /me: who the token belongs to and which roles the access rules give it, what the dashboard shows. */
@RolloutServerTest
class MeApiTest {
  @Autowired TestRestTemplate http;

  @Test
  void theServerSaysWhoTheTokenIsAndWhichRolesItHoldsOnARollout() {
    String id = start("whoami");

    Map<?, ?> bob = get("/me?rollout=" + id, TestTokens.as("bob")).getBody();
    assertThat(bob.get("principal")).isEqualTo("bob");
    assertThat(bob.get("groups")).isEqualTo(List.of("testers"));
    assertThat(bob.get("roles")).as("testers may act as any role").isEqualTo(List.of("*"));
    assertThat(bob.get("actAs")).isEqualTo(List.of("release-manager", "sre"));

    Map<?, ?> viewer = get("/me?rollout=" + id, TestTokens.as("viewer")).getBody();
    assertThat(viewer.get("principal")).isEqualTo("viewer");
    assertThat(viewer.get("roles")).as("no rule gives viewer a role").isEqualTo(List.of());
    assertThat(viewer.get("actAs")).isEqualTo(List.of());

    assertThat(get("/me", new HttpHeaders()).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    // the dashboard's own files load without a token (they hold no data)
    assertThat(http.exchange("/dashboard.js", HttpMethod.GET, new HttpEntity<>(noAuth()), String.class)
        .getStatusCode()).isEqualTo(HttpStatus.OK);

    ResponseEntity<Map> abort = http.exchange("/rollouts/" + id + "/abort", HttpMethod.POST,
        new HttpEntity<>(Map.of("reason", "test over", "role", "sre"), json(TestTokens.as("alice"))), Map.class);
    assertThat(abort.getStatusCode()).isEqualTo(HttpStatus.OK);
  }

  private ResponseEntity<Map> get(String path, HttpHeaders headers) {
    return http.exchange(path, HttpMethod.GET, new HttpEntity<>(headers.isEmpty() ? noAuth() : headers), Map.class);
  }

  /** Overrides the TestRestTemplate's default token with an empty Authorization header. */
  private static HttpHeaders noAuth() {
    HttpHeaders h = new HttpHeaders();
    h.set("Authorization", "");
    return h;
  }

  private static HttpHeaders json(HttpHeaders h) {
    h.setContentType(MediaType.APPLICATION_JSON);
    return h;
  }

  private String start(String service) {
    HttpHeaders headers = TestTokens.as("alice");
    headers.setContentType(MediaType.parseMediaType("application/yaml"));
    var r = http.exchange("/rollouts", HttpMethod.POST,
        new HttpEntity<>(TestPlans.approvalPlan(service, "1h"), headers), Map.class);
    assertThat(r.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    String id = TestPlans.rolloutId(service);
    Api.awaitState(http, id, "WAITING_FOR_APPROVAL");
    return id;
  }
}
