package dev.rollout.cli;

import picocli.CommandLine;

/** The version from the jar's manifest, or "development" when run from classes. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = RolloutCli.class.getPackage().getImplementationVersion();
    return new String[] {"rollout " + (version == null ? "0.1.0-SNAPSHOT (development)" : version)};
  }
}
