package dev.rollout.activities.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.activities.DatabaseActivities.BackupRecord;
import dev.rollout.activities.database.DatabaseActivitiesImpl;
import dev.rollout.activities.database.DatabaseSettings;
import dev.rollout.plan.Database;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures (prints, never asserts) backup and restore of a database of about 100 MB on the real
 * PostgreSQL; checks only that the restore gave back every row.
 */
@Tag("integration")
class BackupRestoreBenchTest {

  @TempDir Path backups;

  @Test
  void backupAndRestoreOfAHundredMegabyteDatabase() throws Exception {
    try (PgFixture db = new PgFixture("bench")) {
      long t0 = System.nanoTime();
      db.execute(
          "create table events (id bigint primary key, kind text, payload text, at timestamptz)",
          "insert into events select g, md5(g::text), md5((g * 7)::text) || repeat('x', 40), now() - g * interval '1 second'"
              + " from generate_series(1, 530000) g",
          "vacuum analyze events");
      long size = db.queryLong("select pg_database_size(current_database())");
      long rows = db.queryLong("select count(*) from events");
      double fill = seconds(t0);
      var activities = new DatabaseActivitiesImpl(new DatabaseSettings(backups), db.secrets("BENCH_DB"));
      var spec = new Database("BENCH_DB", null);

      long t1 = System.nanoTime();
      BackupRecord backup = activities.backup("bench", "backup", "bench", spec);
      double backupSeconds = seconds(t1);
      db.execute("truncate events");
      long t2 = System.nanoTime();
      activities.restore("bench", "bench", spec, backup);
      double restoreSeconds = seconds(t2);

      System.out.printf(
          "backup/restore bench: database %.1f MB (%d rows, filled in %.1f s); pg_dump -Fc + verify %.2f s -> %.1f MB archive;"
              + " restore %.2f s%n",
          size / 1e6, rows, fill, backupSeconds, backup.sizeBytes() / 1e6, restoreSeconds);
      assertThat(db.queryLong("select count(*) from events")).isEqualTo(rows);
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
