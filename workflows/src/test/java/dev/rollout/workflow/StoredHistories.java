package dev.rollout.workflow;

import java.nio.file.Path;

/**
 * Where the stored histories live ({@link ReplayTest}, {@link HistoriesManifestTest}). The recorders
 * that add new ones run in the rehearsal module and write here too; tests run with their module as
 * the working directory, so the path goes through the repository root.
 */
public final class StoredHistories {
  public static final Path DIR = Path.of("..", "workflows", "src", "test", "resources", "histories");

  private StoredHistories() {}
}
