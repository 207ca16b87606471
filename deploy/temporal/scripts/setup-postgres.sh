#!/bin/sh
# Creates (first start) or upgrades (new image version) Temporal's two PostgreSQL schemas, as
# Temporal's own compose setup does. Run by the temporal-schema service; idempotent.
set -eu
TOOL="temporal-sql-tool --plugin postgres12 --ep ${POSTGRES_SEEDS} -u ${POSTGRES_USER} -p 5432"
SCHEMA=/etc/temporal/schema/postgresql/v12

echo "waiting for PostgreSQL at ${POSTGRES_SEEDS}:5432"
until nc -z "${POSTGRES_SEEDS}" 5432; do sleep 1; done

for db in temporal temporal_visibility; do
  case "$db" in
    temporal) dir="$SCHEMA/temporal/versioned" ;;
    *) dir="$SCHEMA/visibility/versioned" ;;
  esac
  $TOOL --db "$db" create || echo "database $db exists"
  $TOOL --db "$db" setup-schema -v 0.0 || echo "schema of $db already set up"
  $TOOL --db "$db" update-schema -d "$dir"
done
echo "Temporal schemas are up to date"
