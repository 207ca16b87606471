package dev.rollout.activities.database;

import dev.rollout.activities.support.Heartbeat;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;

/**
 * One repeatable-read transaction on the source database, held open while pg_dump runs with its
 * exported snapshot ({@code pg_dump --snapshot}): the dump, the row counts, the size and the
 * created-at time all describe exactly the same moment, however busy the database is.
 */
final class SourceSnapshot implements AutoCloseable {

  private final Connection connection;
  final String snapshotId;
  final Instant takenAt;
  final long databaseBytes;
  /** The server's name of the database dumped. */
  final String databaseName;

  private SourceSnapshot(Connection connection, String snapshotId, Instant takenAt, long databaseBytes, String databaseName) {
    this.connection = connection;
    this.snapshotId = snapshotId;
    this.takenAt = takenAt;
    this.databaseBytes = databaseBytes;
    this.databaseName = databaseName;
  }

  static SourceSnapshot take(PgConnection source) throws SQLException {
    Connection c = source.open();
    try {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setReadOnly(true);
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(
              "select pg_export_snapshot(), now(), pg_database_size(current_database()), current_database()")) {
        rs.next();
        return new SourceSnapshot(c, rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getLong(3), rs.getString(4));
      }
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** Rows per table as the snapshot (and so the dump) has them. */
  Map<String, Long> rowCounts(Heartbeat heartbeat) throws SQLException {
    return RowCounts.of(connection, heartbeat);
  }

  @Override
  public void close() throws SQLException {
    try {
      connection.rollback();
    } finally {
      connection.close();
    }
  }
}
