package dev.rollout.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the per-plan benchmarks ({@link RehearsalBench}, {@link FloorBench}) are told: the plans
 * under a directory (default {@code plans/}), each run {@code runs} times (default 5).
 */
record PlanRuns(Path dir, int runs) {

  /** {@code [--runs N] [--plans DIR]}. */
  static PlanRuns parse(String[] args) {
    int runs = 5;
    Path dir = Path.of("plans");
    for (int i = 0; i < args.length - 1; i += 2) {
      switch (args[i]) {
        case "--runs" -> runs = Integer.parseInt(args[i + 1]);
        case "--plans" -> dir = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--runs N, --plans DIR)");
      }
    }
    return new PlanRuns(dir, runs);
  }

  /** The plan files (*.yaml, *.yml) under {@code dir}, by name. */
  static List<Path> files(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
    }
    if (files.isEmpty()) throw new IllegalArgumentException("no plans (*.yaml) in " + dir.toAbsolutePath());
    return files;
  }

  /** A plan file's name without its extension. */
  static String name(Path file) {
    return file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
  }

  /** The middle value (the upper one of an even count). */
  static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }
}
