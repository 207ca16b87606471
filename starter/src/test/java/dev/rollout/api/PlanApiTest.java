package dev.rollout.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rollout.server.RolloutServerTest;
import dev.rollout.server.TestPlans;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** Plan validation, the API description, and what the API does with a bad caller. */
@RolloutServerTest
class PlanApiTest {
  @Autowired TestRestTemplate http;

  @Test
  void validatesAYamlPlanAndSaysWhatItWillDo() {
    ResponseEntity<Map> r = validate(TestPlans.approvalPlan("ledger", "1s"), "application/yaml");
    assertThat(r.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(r.getBody())
        .containsEntry("valid", true)
        .containsEntry("rolloutId", TestPlans.rolloutId("ledger"))
        .containsEntry("targets", List.of("ledger/test"))
        .containsEntry("phases", List.of("canary", "full"));
  }

  @Test
  void validatesTheSamePlanWrittenAsJson() throws Exception {
    Object tree = new ObjectMapper(new YAMLFactory()).readValue(TestPlans.approvalPlan("ledger", "1s"), Object.class);
    String json = new ObjectMapper().writeValueAsString(tree);
    ResponseEntity<Map> r = validate(json, "application/json");
    assertThat(r.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(r.getBody()).containsEntry("rolloutId", TestPlans.rolloutId("ledger"));
  }

  @Test
  void anInvalidPlanIs422WithLineColumnAndPath() {
    ResponseEntity<Map> r = validate(TestPlans.INVALID_PERCENT, "application/yaml");
    assertThat(r.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
    assertThat(r.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    Map<String, Object> first = ((List<Map<String, Object>>) r.getBody().get("problems")).get(0);
    assertThat(first).containsEntry("line", 18).containsEntry("path", "phases[0].steps[0].percent");
    assertThat((Integer) first.get("column")).isPositive();
  }

  @Test
  void anEmptyBodyIs400() {
    ResponseEntity<Map> r = validate("", "application/yaml");
    assertThat(r.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(r.getBody().get("detail").toString()).contains("empty");
  }

  @Test
  void theOldIdentityHeaderConfersNothing() {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.parseMediaType("application/yaml"));
    headers.set("X-Rollout-User", "alice");
    headers.set("Authorization", "Bearer not-a-token");
    ResponseEntity<Map> r =
        http.postForEntity("/rollouts", new HttpEntity<>(TestPlans.approvalPlan("x", "1s"), headers), Map.class);
    assertThat(r.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
  }

  @Test
  void publishesAnOpenApiDescriptionAndSwaggerUi() {
    Map<?, ?> docs = http.getForObject("/v3/api-docs", Map.class);
    assertThat(((Map<?, ?>) docs.get("paths")).keySet())
        .map(Object::toString)
        .contains(
            "/rollouts", "/rollouts/{id}", "/rollouts/{id}/approve", "/rollouts/{id}/reject",
            "/rollouts/{id}/confirm", "/rollouts/{id}/pause", "/rollouts/{id}/resume",
            "/rollouts/{id}/abort", "/rollouts/{id}/skip-bake", "/rollouts/{id}/decide",
            "/plans/validate", "/plans/rehearse");
    assertThat(http.getForEntity("/swagger-ui/index.html", String.class).getStatusCode())
        .isEqualTo(HttpStatus.OK);
  }

  ResponseEntity<Map> validate(String body, String contentType) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.parseMediaType(contentType));
    return http.postForEntity("/plans/validate", new HttpEntity<>(body, headers), Map.class);
  }
}
