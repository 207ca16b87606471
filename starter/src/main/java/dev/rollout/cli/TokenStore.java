package dev.rollout.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Where the CLI finds its API token: {@code ROLLOUT_TOKEN}, else the file {@code token} in the
 * config directory ({@code ROLLOUT_CONFIG_DIR}, else {@code $XDG_CONFIG_HOME/rollout}, else
 * {@code ~/.config/rollout}). A token file others can read is refused: the token acts as you.
 */
final class TokenStore {
  static final String FILE = "token";

  private TokenStore() {}

  static Path configDir(Terminal terminal) {
    String dir = terminal.env().get("ROLLOUT_CONFIG_DIR");
    if (dir != null && !dir.isBlank()) return Path.of(dir);
    String xdg = terminal.env().get("XDG_CONFIG_HOME");
    if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "rollout");
    return Path.of(System.getProperty("user.home"), ".config", "rollout");
  }

  /** The token to send, or null when there is none (the server answers 401, saying where to put one). */
  static String token(Terminal terminal) {
    String env = terminal.env().get("ROLLOUT_TOKEN");
    if (env != null && !env.isBlank()) return oneLine(env.strip(), "ROLLOUT_TOKEN");
    Path file = configDir(terminal).resolve(FILE);
    if (!Files.isRegularFile(file)) return null;
    try {
      if (posix()) {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
          throw CliException.refused("the token file " + file + " is readable by others ("
              + PosixFilePermissions.toString(perms) + "): run `chmod 600 " + file + "`, or set ROLLOUT_TOKEN");
        }
      }
      return oneLine(Files.readString(file).strip(), "the token file " + file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the token file " + file, e);
    }
  }

  /**
   * A token is one line of printable ASCII (ours, and JWTs, are). Anything else would go into the
   * Authorization header, where the HTTP client's refusal quotes the whole header: refused here
   * instead, saying where it came from and never what it is.
   */
  private static String oneLine(String token, String from) {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new CliException(ExitCodes.USAGE, from + " does not hold one token on one line (character "
            + (i + 1) + " of " + token.length() + " is " + (c == '\n' || c == '\r' ? "a line break" : c <= ' ' ? "blank or a control character" : "not ASCII")
            + "); put exactly one token there");
      }
    }
    return token;
  }

  /** Writes {@code token} to {@code file}, readable by its owner only (0600, directory 0700). */
  static void write(Path file, String token) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        if (posix()) Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      }
      Files.deleteIfExists(file);
      if (posix()) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(file);
      }
      Files.writeString(file, token + System.lineSeparator(), StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the token file " + file, e);
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
