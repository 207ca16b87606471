package dev.rollout.chaos;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Where the chaos worker writes down every side effect it made, in a PostgreSQL table that
 * outlives the worker process. A row is written after the change succeeded, keyed by the
 * activity that made it ({@code workflowId/runId/activityId}, the same on every retry) and its
 * attempt: a key seen with several attempts is a retry of one change; the same change under two
 * keys would be the workflow doing it twice.
 */
public final class Ledger {

  static final String TABLE =
      """
      create table if not exists side_effects (
        id bigserial primary key,
        effect_key text not null,
        attempt int not null,
        rollout text not null,
        target text not null,
        action text not null,
        value text not null,
        recorded_at timestamptz not null default now())
      """;

  private final String url;
  private final String user;

  public Ledger(String url, String user) {
    this.url = url;
    this.user = user;
  }

  /** Creates the table when it is not there yet. */
  public void prepare() {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute(TABLE);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot prepare the ledger at " + url + ": " + e.getMessage(), e);
    }
  }

  /** Records a change the current activity made (call it after the change succeeded). */
  public void record(String rolloutId, String target, String action, String value) {
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    String key = info.getWorkflowId() + "/" + info.getRunId() + "/" + info.getActivityId();
    try (Connection c = connect();
        PreparedStatement insert =
            c.prepareStatement(
                "insert into side_effects (effect_key, attempt, rollout, target, action, value) values (?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, key);
      insert.setInt(2, info.getAttempt());
      insert.setString(3, rolloutId);
      insert.setString(4, target);
      insert.setString(5, action);
      insert.setString(6, value);
      insert.executeUpdate();
    } catch (SQLException e) {
      // Not recorded means not proven: fail the attempt, so the retry records it.
      throw new IllegalStateException("cannot record " + action + " on " + target + " in the ledger: " + e.getMessage(), e);
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, "");
  }
}
