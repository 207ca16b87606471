package dev.rollout.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollout.workflow.RolloutRequest;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.lang.reflect.Type;

/**
 * How rollouts write their Temporal payloads (workflow inputs, activity arguments and results,
 * Updates): Temporal's own JSON converter, with one difference: a field whose value is null is
 * left out instead of written as {@code "field":null}. A plan's JSON is a fifth smaller that way
 * (most optional plan fields are unset), so each replay parses fewer tokens and each history holds
 * fewer bytes.
 *
 * <p>Reading is Temporal's default, unchanged, so both directions work while API and workers are
 * upgraded at different times: a worker or API with Temporal's default converter reads these
 * payloads (a field left out deserializes to null, exactly as {@code null} does), and this
 * converter reads every payload written before it (stored histories, rollouts in flight). Nulls
 * inside maps and lists are still written: a map entry with a null value is not the same map
 * without it. Nothing else changes (no codec, no compression: CPU matters more than bytes here).
 *
 * <p>A rollout's input is parsed once per workflow instance, not twice ({@link StartInputOnce}).
 *
 * <p>Content digests (the plan digest, an Update's argument digest) never use this converter:
 * they hash Temporal's standard format, which is frozen, so an API and a worker of different
 * versions compute the same digest.
 */
public final class RolloutPayloads {
  /** The data converter of the worker, the API and their clients. */
  public static final DataConverter CONVERTER =
      DefaultDataConverter.newDefaultInstance().withPayloadConverterOverrides(new StartInputOnce(mapper()));

  private RolloutPayloads() {}

  /** Temporal's default object mapper, writing no null-valued properties. */
  static ObjectMapper mapper() {
    ObjectMapper mapper = JacksonJsonPayloadConverter.newDefaultObjectMapper();
    mapper.setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.USE_DEFAULTS));
    return mapper;
  }

  /**
   * Temporal's JSON converter that parses a rollout's start input ({@link RolloutRequest}, the plan
   * in it) once per workflow instance instead of twice. The SDK decodes the same start payload for
   * the {@code @WorkflowInit} constructor and again for the workflow method, on two threads, each
   * time a rollout is instantiated: at its start and at every replay after a cache eviction, which at
   * ten thousand rollouts is nearly every rollback (~2 % of its CPU went to the second parse).
   *
   * <p>The second decode of the very same payload object (identity, never equal content) gets the
   * object the first one returned, and takes it out: a payload is handed out at most twice, so two
   * workflow instances never share a request, and an entry never found again is pushed out by
   * later ones (a few dozen slots; every other type is parsed as before).
   */
  static final class StartInputOnce extends JacksonJsonPayloadConverter {
    private static final int SLOTS = 64;
    private final Payload[] payloads = new Payload[SLOTS];
    private final Object[] values = new Object[SLOTS];
    private int next;

    StartInputOnce(ObjectMapper mapper) {
      super(mapper);
    }

    @Override
    public <T> T fromData(Payload content, Class<T> valueClass, Type valueType) {
      if (valueClass != RolloutRequest.class) return super.fromData(content, valueClass, valueType);
      synchronized (this) {
        for (int i = 0; i < SLOTS; i++) {
          if (payloads[i] == content) {
            Object value = values[i];
            payloads[i] = null;
            values[i] = null;
            return valueClass.cast(value);
          }
        }
      }
      T value = super.fromData(content, valueClass, valueType);
      synchronized (this) {
        payloads[next] = content;
        values[next] = value;
        next = (next + 1) % SLOTS;
      }
      return value;
    }
  }
}
