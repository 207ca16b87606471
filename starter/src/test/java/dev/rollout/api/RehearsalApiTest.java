package dev.rollout.api;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.springframework.util.LinkedMultiValueMap;

/** Rehearsals: an hour of bake passes in moments, and a scripted rejection rolls back. */
@RolloutServerTest
class RehearsalApiTest {
  @Autowired TestRestTemplate http;

  @Test
  void rehearsesTheHappyPathInSimulatedTime() {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.parseMediaType("application/yaml"));
    ResponseEntity<Map> r =
        http.postForEntity(
            "/plans/rehearse", new HttpEntity<>(TestPlans.approvalPlan("rehearsed", "1h"), headers), Map.class);
    assertThat(r.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(r.getBody()).containsEntry("outcome", "COMPLETED");
    assertThat((List<String>) r.getBody().get("changes")).hasSize(2);
    assertThat(r.getBody().get("simulated").toString()).startsWith("PT1H");
  }

  @Test
  void aScriptedRejectionRollsBack() {
    LinkedMultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
    parts.add("plan", TestPlans.approvalPlan("rehearsed", "1h"));
    parts.add("scenario", "name: no\napprovals: {canary: reject}\n");
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.MULTIPART_FORM_DATA);
    ResponseEntity<Map> r =
        http.postForEntity("/plans/rehearse", new HttpEntity<>(parts, headers), Map.class);
    assertThat(r.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(r.getBody()).containsEntry("outcome", "ROLLED_BACK");
  }

  @Test
  void anInvalidPlanIsNotRehearsed() {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.parseMediaType("application/yaml"));
    ResponseEntity<Map> r =
        http.postForEntity("/plans/rehearse", new HttpEntity<>(TestPlans.INVALID_PERCENT, headers), Map.class);
    assertThat(r.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
    assertThat(r.getBody()).containsKey("problems");
  }
}
