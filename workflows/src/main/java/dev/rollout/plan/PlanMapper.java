package dev.rollout.plan;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Locale;

/**
 * The Jackson mapper for plan files: strict about unknown fields, lenient about how people write
 * durations ({@code 30s}, {@code 2w}, {@code PT24H}) and days ({@code MON}, {@code Tue}, {@code
 * friday}). Absent numbers bind to 0 here; the validator reports the required ones as missing
 * ({@code percent}, {@code replicas}). It writes durations back in the short form, so a plan it writes reads back equal.
 */
final class PlanMapper {
  private PlanMapper() {}

  static ObjectMapper create() {
    SimpleModule plans = new SimpleModule("rollout-plans");
    plans.addDeserializer(Duration.class, new DurationReader());
    plans.addSerializer(Duration.class, new DurationWriter());
    plans.addDeserializer(DayOfWeek.class, new DayReader());
    plans.addSerializer(LocalTime.class, new TimeWriter());
    return JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .addModule(new Jdk8Module())
        .addModule(plans)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
        .build();
  }

  /** Reads {@code 30s}, {@code 5m}, {@code 24h}, {@code 2w}, {@code 1h30m} or ISO-8601. */
  static final class DurationReader extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      String text = p.getText();
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        throw InvalidFormatException.from(
            p, text + " has no unit (write 30s, 5m, 24h, 7d or 2w)", text, Duration.class);
      }
      try {
        return Durations.parse(text);
      } catch (RuntimeException e) {
        throw InvalidFormatException.from(
            p, "'" + text + "' is not a duration (e.g. 30s, 5m, 24h, 2w, 1h30m or ISO-8601 PT24H)",
            text, Duration.class);
      }
    }
  }

  static final class DurationWriter extends JsonSerializer<Duration> {
    @Override
    public void serialize(Duration d, JsonGenerator g, SerializerProvider provider)
        throws IOException {
      g.writeString(d.isNegative() ? d.toString() : Durations.format(d));
    }
  }

  /** Writes window times as they are written in plans: {@code 02:00}. */
  static final class TimeWriter extends JsonSerializer<LocalTime> {
    @Override
    public void serialize(LocalTime t, JsonGenerator g, SerializerProvider provider)
        throws IOException {
      boolean wholeMinute = t.getSecond() == 0 && t.getNano() == 0;
      g.writeString(wholeMinute ? String.format("%02d:%02d", t.getHour(), t.getMinute()) : t.toString());
    }
  }

  /** Reads {@code MON}, {@code Tue}, {@code friday}, {@code Saturday} in any case. */
  static final class DayReader extends JsonDeserializer<DayOfWeek> {
    @Override
    public DayOfWeek deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      String text = p.getText().trim().toUpperCase(Locale.ROOT);
      for (DayOfWeek day : DayOfWeek.values()) {
        if (text.length() >= 3 && day.name().startsWith(text)) return day;
      }
      throw InvalidFormatException.from(
          p, "'" + p.getText() + "' is not a day of the week (MON, TUE, WED, THU, FRI, SAT, SUN)",
          p.getText(), DayOfWeek.class);
    }
  }
}
