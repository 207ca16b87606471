package dev.rollout.plan;

/**
 * A PostgreSQL database.
 *
 * @param connection the name under which the worker's configuration or environment holds the JDBC
 *     URL, user and password (e.g. {@code ORDERS_DB} reads {@code ORDERS_DB_URL}, {@code
 *     ORDERS_DB_USER}, {@code ORDERS_DB_PASSWORD}); never the secret itself
 * @param migrations a Flyway location, e.g. {@code filesystem:db/migration/orders}
 * @param onRollback whether a rollback restores the backup taken before a migration by itself
 *     ({@code restore}) or waits for a person to decide ({@code decide}, the default)
 * @param afterContract what a failure does after this database's contract migration ran: {@code
 *     hold} for a forward fix (default) or {@code rollback-safe}: undo everything but the database
 */
public record Database(String connection, String migrations, DatabaseRestore onRollback, AfterContract afterContract) {

  public Database {
    onRollback = onRollback == null ? DatabaseRestore.DECIDE : onRollback;
    afterContract = afterContract == null ? AfterContract.HOLD : afterContract;
  }

  /** A database whose backups are restored only by a person's decision. */
  public Database(String connection, String migrations) {
    this(connection, migrations, null, null);
  }
}
