package dev.rollout.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollout.worker.security.SignedAction;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.GlobalDataConverter;
import java.time.Instant;

/** The audit trail of one rollout run, read from its Temporal history. */
final class AuditLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final WorkflowClient client;

  AuditLog(WorkflowClient client) {
    this.client = client;
  }

  String lines(String rolloutId, RunFacts run) {
    StringBuilder out = new StringBuilder();
    for (HistoryEvent e : client.fetchHistory(rolloutId, run.runId()).getEvents()) {
      ObjectNode line = JSON.createObjectNode();
      line.put("at", Instant.ofEpochSecond(e.getEventTime().getSeconds(), e.getEventTime().getNanos()).toString());
      line.put("rolloutId", rolloutId);
      line.put("runId", run.runId());
      if (e.hasWorkflowExecutionStartedEventAttributes()) {
        line.put("action", "start");
        line.put("principal", run.startedBy());
        line.put("planDigest", run.planDigest());
        line.putPOJO("targets", run.targets());
      } else if (e.hasWorkflowExecutionUpdateAcceptedEventAttributes()) {
        var input = e.getWorkflowExecutionUpdateAcceptedEventAttributes().getAcceptedRequest().getInput();
        line.put("action", input.getName());
        Payload header = input.getHeader().getFieldsMap().get(SignedAction.HEADER);
        if (header != null) {
          SignedAction signed = SignedAction.fromPayload(header);
          line.put("principal", signed.principal());
          line.putPOJO("roles", signed.roles());
          line.put("signedAt", Instant.ofEpochMilli(signed.issuedAtMillis()).toString());
          line.put("planDigest", signed.planDigest());
          line.put("nonce", signed.nonce());
        } else {
          line.put("principal", (String) null);
          line.put("unsigned", true);
        }
        if (input.getArgs().getPayloadsCount() > 0) {
          line.set("request", GlobalDataConverter.get().fromPayload(
              input.getArgs().getPayloads(0), JsonNode.class, JsonNode.class));
        }
      } else {
        continue;
      }
      out.append(line).append('\n');
    }
    return out.toString();
  }
}
