package dev.rollout.activities.kubernetes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a rollout's env steps replaced, kept on the Deployment itself (one annotation per rollout
 * id), so the compensation can put it back without any value entering workflow history. The
 * values were in the same Deployment already, readable by the same people. The annotation belongs
 * to one run at a time (Temporal runs one per id): a new run replaces what an ended run left, and
 * a restore removes what it put back.
 *
 * @param run the workflow run that saved it
 * @param env each variable as it was before the run first changed it; null: it was not set
 */
record EnvStash(String run, Map<String, EnvVar> env) {
  static final String PREFIX = "rollout.dev/env-before.";
  private static final ObjectMapper JSON = new ObjectMapper();

  EnvStash {
    env = new LinkedHashMap<>(env == null ? Map.of() : env);
  }

  /** This run's stash on the Deployment; empty when there is none or it is another run's. */
  static EnvStash of(Deployment d, String rolloutId, String run) {
    Map<String, String> annotations = d.getMetadata().getAnnotations();
    String json = annotations == null ? null : annotations.get(key(rolloutId));
    if (json != null) {
      try {
        EnvStash saved = JSON.readValue(json, EnvStash.class);
        if (run.equals(saved.run())) return saved;
      } catch (JsonProcessingException e) {
        // unreadable (edited by hand): nothing this run saved can be recovered from it
      }
    }
    return new EnvStash(run, Map.of());
  }

  /** Writes it onto {@code d} (to be saved with the same edit as the change); removes it when empty. */
  void writeTo(Deployment d, String rolloutId) {
    Map<String, String> annotations = d.getMetadata().getAnnotations() == null
        ? new HashMap<>() : new HashMap<>(d.getMetadata().getAnnotations());
    if (env.isEmpty()) {
      annotations.remove(key(rolloutId));
    } else {
      try {
        annotations.put(key(rolloutId), JSON.writeValueAsString(this));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("env stash not writable", e);
      }
    }
    d.getMetadata().setAnnotations(annotations);
  }

  /** Annotation names are short: the rollout id's digest stands for it. */
  static String key(String rolloutId) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(rolloutId.getBytes(StandardCharsets.UTF_8));
      return PREFIX + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
