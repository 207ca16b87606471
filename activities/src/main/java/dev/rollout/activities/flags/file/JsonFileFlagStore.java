package dev.rollout.activities.flags.file;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rollout.activities.flags.FlagStoreClient;
import dev.rollout.activities.support.Failures;
import dev.rollout.plan.FlagStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Flags as the top-level fields of a JSON file (for local use); written atomically. */
public class JsonFileFlagStore implements FlagStoreClient<FlagStore.JsonFile> {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Override
  public Class<FlagStore.JsonFile> type() {
    return FlagStore.JsonFile.class;
  }

  @Override
  public Map<String, Object> read(FlagStore.JsonFile spec, List<String> flags) throws IOException {
    Map<String, Object> all = load(path(spec));
    Map<String, Object> read = new HashMap<>();
    flags.forEach(flag -> read.put(flag, all.get(flag)));
    return read;
  }

  @Override
  public synchronized void write(FlagStore.JsonFile spec, Map<String, Object> values) throws IOException {
    Path file = path(spec);
    Map<String, Object> all = load(file);
    values.forEach((flag, value) -> {
      if (value == null) all.remove(flag);
      else all.put(flag, value);
    });
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, ".flags", ".tmp");
    JSON.writeValue(temp.toFile(), all);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static Map<String, Object> load(Path file) throws IOException {
    if (!Files.exists(file)) return new LinkedHashMap<>();
    try {
      return JSON.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw Failures.badInput("flag file " + file + " is not a JSON object: " + e.getOriginalMessage());
    }
  }

  private static Path path(FlagStore.JsonFile spec) {
    if (spec.path() == null || spec.path().isBlank()) throw Failures.badInput("file flag store needs a path");
    return Path.of(spec.path());
  }
}
