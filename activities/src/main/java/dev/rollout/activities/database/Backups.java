package dev.rollout.activities.database;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.rollout.activities.support.Failures;
import dev.rollout.activities.support.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backup files: where each lives, what is known about it, whether a rollout still depends on it,
 * and which old ones may go.
 *
 * <p>Layout: {@code <backupDir>/<rollout>/<database>/<run id>/<step>.dump}, next to it
 * {@code .dump.json} (when and what was dumped: {@link Meta}) and, while a rollout may still roll
 * back to it, {@code .dump.pin}; while being written, {@code .dump.<attempt>.partial}. The run id makes every rollout run's backup its own: a second run
 * of the same target never finds (and never restores) the first one's file.
 */
final class Backups {

  static final String CORRUPT = "BackupCorrupt";
  static final String OTHER_DATABASE = "BackupOfAnotherDatabase";
  static final String PARTIAL = ".partial";
  /** One monitor per backup file: the file lock below is per process, so threads take turns first. */
  private static final Map<Path, Object> PLACING = new ConcurrentHashMap<>();
  private static final Logger log = LoggerFactory.getLogger(Backups.class);
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
  private static final ObjectMapper JSON =
      new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  /**
   * What is known about a dump, written before it is moved into place.
   *
   * @param createdAt the database's clock when the dump's snapshot was taken
   * @param rowCounts rows per table in that snapshot, counted in the same transaction as the dump
   * @param dumpedFrom the server's name of the database dumped (null in descriptions written before)
   */
  record Meta(String rolloutId, String runId, String stepKey, String database, Instant createdAt,
      long databaseBytes, Map<String, Long> rowCounts, String dumpedFrom) {}

  private final DatabaseSettings settings;

  Backups(DatabaseSettings settings) {
    this.settings = settings;
  }

  /** Same run, step and database, same file: a retry within the run finds the one it wrote. */
  Path fileFor(String rolloutId, String runId, String stepKey, String database) {
    return settings.backupDir().resolve(safe(rolloutId)).resolve(safe(database)).resolve(safe(runId))
        .resolve(safe(stepKey) + ".dump");
  }

  /**
   * A fresh partial file for one attempt. Attempts never share one: a worker killed with -9 leaves
   * its pg_dump running, and a retry writing the same file beside it made an archive of two
   * interleaved dumps ("not a readable pg_dump archive").
   */
  static Path partial(Path file) {
    return file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + PARTIAL);
  }

  /** The lock the placing of one backup is made under (beside it; pruned with it). */
  static Path lock(Path file) {
    return file.resolveSibling(file.getFileName() + ".lock");
  }

  /**
   * Moves a verified partial dump into place as the backup, with its description, unless another
   * attempt did first: then deletes this one's partial and returns false (the caller uses the
   * backup in place). Exclusive across threads and processes (a lock the kernel drops with a
   * killed worker), so a backup and its description always come from the same dump; the move is
   * an atomic rename. Pins the backup again: an attempt failing beside this one unpins it.
   */
  boolean place(Path partial, Path file, Meta meta) throws IOException {
    synchronized (PLACING.computeIfAbsent(file, f -> new Object())) {
      try (FileChannel channel = FileChannel.open(lock(file), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock held = channel.lock()) {
        if (Files.exists(file)) {
          Files.deleteIfExists(partial);
          return false;
        }
        pinFor(file, meta.rolloutId(), meta.runId());
        writeMeta(file, meta);
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        return true;
      }
    }
  }

  /**
   * Deletes the partial dumps of {@code file} nobody has written to for {@code idle}: left by
   * attempts that died (an orphaned pg_dump still writing keeps its file fresh). Returns them.
   */
  List<Path> sweepPartials(Path file, Duration idle, Instant now) throws IOException {
    List<Path> swept = new ArrayList<>();
    if (!Files.isDirectory(file.getParent())) return swept;
    try (DirectoryStream<Path> partials = Files.newDirectoryStream(file.getParent(), file.getFileName() + "*" + PARTIAL)) {
      for (Path partial : partials) {
        if (modified(partial).toInstant().isBefore(now.minus(idle)) && Files.deleteIfExists(partial)) swept.add(partial);
      }
    }
    if (!swept.isEmpty()) log.info("deleted {} abandoned partial dump(s) of {}: {}", swept.size(), file, swept);
    return swept;
  }

  static Path pin(Path file) {
    return file.resolveSibling(file.getFileName() + ".pin");
  }

  static Path metaFile(Path file) {
    return file.resolveSibling(file.getFileName() + ".json");
  }

  /** Creates the backup directory (0700) and the file's directories (0700) under it. */
  void prepare(Path file) throws IOException {
    Path root = settings.backupDir();
    if (!Files.isDirectory(root)) {
      Files.createDirectories(root);
      ownerOnly(root, OWNER_ONLY_DIR);
    } else if (posix(root) && !OWNER_ONLY_DIR.containsAll(Files.getPosixFilePermissions(root))) {
      log.warn("backup directory {} is readable by others ({}); backups hold every row of the database",
          root, PosixFilePermissions.toString(Files.getPosixFilePermissions(root)));
    }
    Path dir = root;
    for (Path part : root.relativize(file.getParent())) {
      dir = dir.resolve(part);
      try {
        Files.createDirectory(dir);
        ownerOnly(dir, OWNER_ONLY_DIR);
      } catch (FileAlreadyExistsException another) {
        // made by an earlier backup, or by another one running now
      }
    }
  }

  /** Pins a backup (before it is even written): retention never prunes it until it is released. */
  void pinFor(Path file, String rolloutId, String runId) throws IOException {
    Path pin = pin(file);
    if (!Files.exists(pin)) {
      Files.writeString(pin, "pinned by rollout " + rolloutId + " run " + runId + " at " + Instant.now() + "\n");
      ownerOnly(pin, OWNER_ONLY_FILE);
    }
  }

  /** Unpins a backup; true when it was pinned. A file outside the backup directory is refused. */
  boolean release(Path file) throws IOException {
    Path normal = file.toAbsolutePath().normalize();
    if (!normal.startsWith(settings.backupDir().toAbsolutePath().normalize())) {
      throw Failures.badInput("backup " + file + " is not under this worker's backup directory " + settings.backupDir());
    }
    return Files.deleteIfExists(pin(normal));
  }

  void writeMeta(Path file, Meta meta) throws IOException {
    Path target = metaFile(file);
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    JSON.writeValue(tmp.toFile(), meta);
    ownerOnly(tmp, OWNER_ONLY_FILE);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  Meta readMeta(Path file) throws IOException {
    Path meta = metaFile(file);
    if (!Files.exists(meta)) {
      throw Failures.nonRetryable(CORRUPT, "backup " + file + " has lost its description " + meta, null);
    }
    return JSON.readValue(meta.toFile(), Meta.class);
  }

  /** The description, or null when there is none (a restore needs only the file and its SHA-256). */
  Meta readMetaIfPresent(Path file) throws IOException {
    return Files.exists(metaFile(file)) ? JSON.readValue(metaFile(file).toFile(), Meta.class) : null;
  }

  static void ownerOnly(Path path, Set<PosixFilePermission> permissions) throws IOException {
    if (posix(path)) Files.setPosixFilePermissions(path, permissions);
  }

  static void ownerOnlyFile(Path path) throws IOException {
    ownerOnly(path, OWNER_ONLY_FILE);
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /** Checks the archive is non-empty and readable by pg_restore; returns its SHA-256. */
  String checkArchive(Path file) throws IOException, InterruptedException {
    long size = Files.size(file);
    if (size == 0) throw Failures.nonRetryable(CORRUPT, "backup " + file + " is empty", null);
    Processes.Result list =
        Processes.run(List.of(settings.tool("pg_restore"), "--list", file.toString()), Map.of(), settings.toolTimeout());
    if (!list.ok()) {
      throw Failures.nonRetryable(
          CORRUPT, "backup " + file + " is not a readable pg_dump archive: " + list.stderr().strip(), null);
    }
    return sha256(file);
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Applies the retention rule to the backups of one rollout's database; returns the files
   * deleted. Never touches a pinned backup, nor one that is not finished (no {@code .dump} yet).
   */
  List<Path> prune(String rolloutId, String database, Instant now) throws IOException {
    Path group = settings.backupDir().resolve(safe(rolloutId)).resolve(safe(database));
    if (!Files.isDirectory(group)) return List.of();
    List<Path> dumps = new ArrayList<>();
    try (DirectoryStream<Path> runs = Files.newDirectoryStream(group, Files::isDirectory)) {
      for (Path run : runs) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(run, "*.dump")) {
          files.forEach(dumps::add);
        }
      }
    }
    dumps.sort(Comparator.comparing(Backups::modified).reversed());
    DatabaseSettings.Retention keep = settings.retention();
    Instant cutoff = now.minus(keep.keepFor());
    List<Path> pruned = new ArrayList<>();
    for (int i = keep.keepPerDatabase(); i < dumps.size(); i++) {
      Path dump = dumps.get(i);
      if (Files.exists(pin(dump)) || !modified(dump).toInstant().isBefore(cutoff)) continue;
      Files.deleteIfExists(metaFile(dump));
      Files.deleteIfExists(dump);
      Files.deleteIfExists(lock(dump));
      sweepPartials(dump, settings.toolTimeout(), now);
      pruned.add(dump);
      try {
        Files.deleteIfExists(dump.getParent()); // the run's directory, once empty
      } catch (FileSystemException notEmpty) {
        // another backup of the same run is still there
      }
    }
    if (!pruned.isEmpty()) log.info("retention {}: pruned {} unpinned backup(s) of {}/{}: {}", keep, pruned.size(), rolloutId, database, pruned);
    return pruned;
  }

  private static FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return FileTime.fromMillis(Long.MAX_VALUE); // vanished meanwhile: treat as newest, never pruned here
    }
  }

  private static String safe(String part) {
    if (part == null || part.isBlank()) throw Failures.badInput("rollout id, run id, step and database name are required");
    return part.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^\\.+", "_");
  }
}
