package dev.rollout.activities.integration;

import dev.rollout.activities.support.Secrets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/** A throwaway database on the real PostgreSQL, and the secrets that name it. */
public final class PgFixture implements AutoCloseable {

  public final String database;

  public PgFixture(String prefix) throws SQLException {
    this.database = prefix + "_" + Long.toHexString(System.nanoTime());
    admin("create database " + database);
  }

  public Secrets secrets(String name) {
    return new Secrets(Map.of(name + "_URL", Services.pgUrl(database), name + "_USER", Services.get("ROLLOUT_PG_USER")));
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(Services.pgUrl(database), Services.get("ROLLOUT_PG_USER"), "");
  }

  public void execute(String... sql) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (String statement : sql) s.execute(statement);
    }
  }

  public long queryLong(String sql) throws SQLException {
    try (Connection c = connect(); ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  public boolean exists(String table) throws SQLException {
    return queryLong("select count(*) from information_schema.tables where table_name = '" + table + "'") > 0;
  }

  public boolean hasColumn(String table, String column) throws SQLException {
    return queryLong("select count(*) from information_schema.columns where table_name = '" + table
        + "' and column_name = '" + column + "'") > 0;
  }

  public static void admin(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(Services.pgAdminUrl(), Services.get("ROLLOUT_PG_USER"), "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Override
  public void close() throws SQLException {
    admin("drop database if exists " + database + " with (force)");
  }
}
