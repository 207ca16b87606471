package dev.rollout.activities.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.activities.database.DatabaseSettings.Retention;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention prunes old unpinned backups and never one a rollout can still roll back to. */
class BackupRetentionTest {

  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  @TempDir Path dir;

  @Test
  void prunesOnlyUnpinnedBackupsOlderThanTheWindowBeyondTheNewestN() throws Exception {
    var backups = new Backups(new DatabaseSettings(dir).withRetention(new Retention(Duration.ofDays(7), 2)));
    Path newest = dump(backups, "run-1", 10, false);
    Path second = dump(backups, "run-2", 15, false);
    Path oldButPinned = dump(backups, "run-3", 30, true);
    Path oldUnpinned = dump(backups, "run-4", 40, false);

    var pruned = backups.prune("rollout-orders.prod", "orders", NOW);

    assertThat(pruned).containsExactly(oldUnpinned);
    assertThat(oldUnpinned).doesNotExist();
    assertThat(Backups.metaFile(oldUnpinned)).doesNotExist();
    assertThat(oldUnpinned.getParent()).as("the run's empty directory goes too").doesNotExist();
    assertThat(oldButPinned).as("pinned: a rollout can still roll back to it, however old").exists();
    assertThat(newest).as("among the newest two").exists();
    assertThat(second).as("among the newest two").exists();

    backups.release(oldButPinned);
    assertThat(backups.prune("rollout-orders.prod", "orders", NOW)).containsExactly(oldButPinned);
  }

  @Test
  void aBackupYoungerThanTheWindowIsKeptEvenBeyondTheNewestN() throws Exception {
    var backups = new Backups(new DatabaseSettings(dir).withRetention(new Retention(Duration.ofDays(7), 0)));
    Path recent = dump(backups, "run-1", 3, false);
    Path old = dump(backups, "run-2", 8, false);

    assertThat(backups.prune("rollout-orders.prod", "orders", NOW)).containsExactly(old);
    assertThat(recent).exists();
  }

  @Test
  void anUnfinishedBackupIsNeverPrunedAndOtherDatabasesAreLeftAlone() throws Exception {
    var backups = new Backups(new DatabaseSettings(dir).withRetention(new Retention(Duration.ZERO, 0)));
    Path file = backups.fileFor("rollout-orders.prod", "run-1", "p1s0", "orders");
    backups.prepare(file);
    Path partial = Backups.partial(file);
    Files.writeString(partial, "half a dump");
    Files.setLastModifiedTime(partial, FileTime.from(NOW.minus(Duration.ofDays(30))));
    Path other = dump(backups, "run-9", 30, false, "users");

    assertThat(backups.prune("rollout-orders.prod", "orders", NOW)).isEmpty();
    assertThat(partial).exists();
    assertThat(other).exists();
  }

  @Test
  void everyAttemptWritesItsOwnPartialAndOnlyAbandonedOnesAreSwept() throws Exception {
    var backups = new Backups(new DatabaseSettings(dir));
    Path file = backups.fileFor("rollout-orders.prod", "run-1", "p1s0", "orders");
    backups.prepare(file);
    Path abandoned = Backups.partial(file);
    Path running = Backups.partial(file);
    assertThat(abandoned).isNotEqualTo(running);
    Files.writeString(abandoned, "half a dump");
    Files.setLastModifiedTime(abandoned, FileTime.from(NOW.minus(Duration.ofHours(3))));
    Files.writeString(running, "still being written");
    Files.setLastModifiedTime(running, FileTime.from(NOW.minus(Duration.ofMinutes(5))));

    assertThat(backups.sweepPartials(file, Duration.ofHours(2), NOW)).containsExactly(abandoned);
    assertThat(running).exists();
  }

  private Path dump(Backups backups, String run, int daysOld, boolean pinned) throws Exception {
    return dump(backups, run, daysOld, pinned, "orders");
  }

  private Path dump(Backups backups, String run, int daysOld, boolean pinned, String database) throws Exception {
    Path file = backups.fileFor("rollout-orders.prod", run, "p1s0", database);
    backups.prepare(file);
    Files.writeString(file, "dump of " + run);
    Files.writeString(Backups.metaFile(file), "{}");
    if (pinned) backups.pinFor(file, "rollout-orders.prod", run);
    Files.setLastModifiedTime(file, FileTime.from(NOW.minus(Duration.ofDays(daysOld)).minusSeconds(60)));
    return file;
  }
}
