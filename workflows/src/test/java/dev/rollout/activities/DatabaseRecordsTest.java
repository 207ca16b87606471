package dev.rollout.activities;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.activities.DatabaseActivities.BackupRecord;
import dev.rollout.activities.DatabaseActivities.MigrationResult;
import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.DataConverter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The database records as Temporal stores them in history: new ones round-trip, old ones still read. */
class DatabaseRecordsTest {

  private final DataConverter converter = DataConverter.getDefaultInstance();

  @Test
  void aMigrationResultRoundTripsAndSaysWhetherItChangedAnything() {
    MigrationResult done = new MigrationResult("1", "2", 1);
    assertThat(roundTrip(done, MigrationResult.class)).isEqualTo(done);
    assertThat(done.changed()).isTrue();
    assertThat(new MigrationResult("2", "2", 0).changed()).isFalse();
  }

  /** Histories recorded before the record existed hold the previous version as a bare JSON string. */
  @Test
  void aBareVersionFromAnOlderHistoryReadsAsChangedSoAReplayTakesTheSamePath() {
    Payloads old = converter.toPayloads("v0").orElseThrow();
    MigrationResult read = converter.fromPayloads(0, Optional.of(old), MigrationResult.class, MigrationResult.class);
    assertThat(read).isEqualTo(new MigrationResult("v0", null, -1));
    assertThat(read.changed()).isTrue();
  }

  @Test
  void aBackupRecordKeepsItsTimeSizeAndCountsAndAnOldOneReadsWithout() {
    BackupRecord full = new BackupRecord("orders", "/b/x.dump", 10, "ab", Instant.parse("2026-12-01T14:02:00Z"),
        8_000_000, Map.of("public.orders", 1000L), Duration.ofMillis(1500));
    assertThat(roundTrip(full, BackupRecord.class)).isEqualTo(full);
    assertThat(full.lossSummary()).isEqualTo("writes since 2026-12-01T14:02:00Z");
    assertThat(full.restoreVerified()).isTrue();

    Payloads old = converter.toPayloads(Map.of("database", "orders", "location", "/b/x.dump", "sizeBytes", 10, "sha256", "ab"))
        .orElseThrow();
    BackupRecord read = converter.fromPayloads(0, Optional.of(old), BackupRecord.class, BackupRecord.class);
    assertThat(read).isEqualTo(new BackupRecord("orders", "/b/x.dump", 10, "ab"));
    assertThat(read.restoreVerified()).isFalse();
    assertThat(read.lossSummary()).contains("not recorded");
  }

  private <T> T roundTrip(T value, Class<T> type) {
    return converter.fromPayloads(0, converter.toPayloads(value), type, type);
  }
}
