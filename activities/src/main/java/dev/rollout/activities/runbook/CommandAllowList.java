package dev.rollout.activities.runbook;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The commands a worker allows run steps to name: id → program and arguments, from the worker's
 * configuration ({@code rollout.worker.runbook-commands}, JSON). A plan names an id, never a
 * command line, so nothing in a plan reaches a shell or an argument list.
 */
public final class CommandAllowList {
  private final Map<String, List<String>> commands;

  public CommandAllowList(Map<String, List<String>> commands) {
    this.commands = new TreeMap<>(commands);
    this.commands.forEach((id, argv) -> {
      if (argv == null || argv.isEmpty()) throw new IllegalArgumentException("allowed command '" + id + "' has no program");
    });
  }

  /** {@code {"rollback-script": ["./scripts/rollback.sh"], ...}}; empty or blank allows nothing. */
  public static CommandAllowList parse(String json) {
    if (json == null || json.isBlank()) return new CommandAllowList(Map.of());
    try {
      return new CommandAllowList(new ObjectMapper().readValue(json, new TypeReference<Map<String, List<String>>>() {}));
    } catch (Exception e) {
      throw new IllegalArgumentException("rollout.worker.runbook-commands is not a JSON map of id to argument list: "
          + e.getMessage(), e);
    }
  }

  public Optional<List<String>> argv(String id) {
    return Optional.ofNullable(commands.get(id)).map(List::copyOf);
  }

  public List<String> ids() {
    return List.copyOf(commands.keySet());
  }
}
