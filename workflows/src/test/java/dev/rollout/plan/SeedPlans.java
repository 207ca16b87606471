package dev.rollout.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The seed plans shipped under {@code plans/} at the repository root. */
final class SeedPlans {
  /** Tests run in {@code workflows/}; the plans live one level up. */
  static final Path DIR = Path.of("..", "plans");

  private SeedPlans() {}

  static List<Path> files() {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Plan load(String name) {
    return Plans.load(DIR.resolve(name));
  }
}
