package dev.rollout.activities.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.activities.DatabaseActivities.BackupRecord;
import dev.rollout.activities.database.DatabaseActivitiesImpl;
import dev.rollout.activities.database.DatabaseSettings;
import dev.rollout.plan.Database;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures (prints, never asserts a time) backup with and without the scratch-restore
 * verification, and restore, of a database of about 100 MB on the real PostgreSQL: medians of 3.
 * Checks only that the verification counted every row and the restore gave them back.
 */
@Tag("integration")
class BackupRestoreBenchTest {

  private static final int RUNS = 3;

  @TempDir Path backups;

  @Test
  void backupVerificationAndRestoreOfAHundredMegabyteDatabase() throws Exception {
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
      var spec = new Database("BENCH_DB", null);
      String[] run = {""};
      var verified = new DatabaseActivitiesImpl(new DatabaseSettings(backups), db.secrets("BENCH_DB"), () -> run[0]);
      var listOnly = new DatabaseActivitiesImpl(
          new DatabaseSettings(backups).withVerifyRestoreMaxBytes(0), db.secrets("BENCH_DB"), () -> run[0]);

      List<Double> plain = new ArrayList<>();
      List<Double> full = new ArrayList<>();
      List<Double> scratch = new ArrayList<>();
      List<Double> restores = new ArrayList<>();
      BackupRecord backup = null;
      for (int i = 0; i < RUNS; i++) {
        run[0] = "list-only-" + i;
        long t = System.nanoTime();
        listOnly.backup("bench", "backup", "bench", spec);
        plain.add(seconds(t));
        run[0] = "verified-" + i;
        t = System.nanoTime();
        backup = verified.backup("bench", "backup", "bench", spec);
        full.add(seconds(t));
        scratch.add(backup.restoreCheck().toMillis() / 1e3);
        assertThat(backup.rowCounts()).containsEntry("public.events", rows);
      }
      for (int i = 0; i < RUNS; i++) {
        db.execute("truncate events");
        long t = System.nanoTime();
        verified.restore("bench", "bench", spec, backup);
        restores.add(seconds(t));
        assertThat(db.queryLong("select count(*) from events")).isEqualTo(rows);
      }

      System.out.printf(
          "backup/restore bench: database %.1f MB (%d rows, filled in %.1f s), archive %.1f MB; medians of %d:"
              + " backup with pg_restore --list only %.2f s %s; backup verified by scratch restore %.2f s %s, of which"
              + " scratch restore + row counts %.2f s %s (ratio verified/list-only %.2f); restore %.2f s %s%n",
          size / 1e6, rows, fill, backup.sizeBytes() / 1e6, RUNS, median(plain), plain, median(full), full,
          median(scratch), scratch, median(full) / median(plain), median(restores), restores);
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
