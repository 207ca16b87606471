package dev.rollout.plan;

/**
 * A PostgreSQL database.
 *
 * @param connection the name under which the worker's configuration or environment holds the JDBC
 *     URL, user and password (e.g. {@code ORDERS_DB} reads {@code ORDERS_DB_URL}, {@code
 *     ORDERS_DB_USER}, {@code ORDERS_DB_PASSWORD}); never the secret itself
 * @param migrations a Flyway location, e.g. {@code filesystem:db/migration/orders}
 */
public record Database(String connection, String migrations) {}
