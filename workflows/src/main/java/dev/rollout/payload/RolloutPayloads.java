package dev.rollout.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.JacksonJsonPayloadConverter;

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
 * <p>Content digests (the plan digest, an Update's argument digest) never use this converter:
 * they hash Temporal's standard format, which is frozen, so an API and a worker of different
 * versions compute the same digest.
 */
public final class RolloutPayloads {
  /** The data converter of the worker, the API and their clients. */
  public static final DataConverter CONVERTER =
      DefaultDataConverter.newDefaultInstance().withPayloadConverterOverrides(new JacksonJsonPayloadConverter(mapper()));

  private RolloutPayloads() {}

  /** Temporal's default object mapper, writing no null-valued properties. */
  static ObjectMapper mapper() {
    ObjectMapper mapper = JacksonJsonPayloadConverter.newDefaultObjectMapper();
    mapper.setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.USE_DEFAULTS));
    return mapper;
  }
}
