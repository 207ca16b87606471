#!/usr/bin/env bash
# Installs (Debian packages, as root) and runs the real services the integration tests use, on
# loopback with uncommon ports, from one state directory:
#   PostgreSQL 15, nginx, Redis and Prometheus.
#
#   scripts/services.sh up      install if needed, start all, wait until each answers
#   scripts/services.sh down    stop all and remove the state directory
#   scripts/services.sh env     print the settings tests read (also written to $DIR/env)
#
# Every port is configurable; defaults below. Tests read the same variables (or $DIR/env).
set -euo pipefail

DIR=${ROLLOUT_SERVICES_DIR:-/tmp/rollout-services}
PG_PORT=${ROLLOUT_PG_PORT:-55432}
NGINX_PORT=${ROLLOUT_NGINX_PORT:-58080}
NGINX_STABLE_PORT=${ROLLOUT_NGINX_STABLE_PORT:-58081}
NGINX_CANARY_PORT=${ROLLOUT_NGINX_CANARY_PORT:-58082}
REDIS_PORT=${ROLLOUT_REDIS_PORT:-56379}
PROM_PORT=${ROLLOUT_PROMETHEUS_PORT:-59090}
SCRAPE_PORT=${ROLLOUT_SCRAPE_TARGET_PORT:-58091}
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)

log() { printf 'services: %s\n' "$*" >&2; }

install() {
  local missing=()
  [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || missing+=(postgresql)
  command -v pg_dump >/dev/null || missing+=(postgresql-client)
  command -v nginx >/dev/null || missing+=(nginx-light)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v prometheus >/dev/null || missing+=(prometheus)
  command -v curl >/dev/null || missing+=(curl)
  # Headless Chromium for the dashboard's end-to-end test (DashboardBrowserTest).
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || { log "need root to install: ${missing[*]}"; exit 1; }
  log "installing ${missing[*]}"
  # Keep the packages' own init scripts from starting system-wide services.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_until() { # wait_until SECONDS DESCRIPTION COMMAND...
  local deadline=$((SECONDS + $1)) what=$2; shift 2
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { log "$what did not come up"; return 1; }
    sleep 0.2
  done
  log "$what is up"
}

start_postgres() {
  mkdir -p "$DIR/pg"
  chown postgres:postgres "$DIR/pg" && chmod 700 "$DIR/pg"
  if [ ! -f "$DIR/pg/data/PG_VERSION" ]; then
    runuser -u postgres -- "$PG_BIN/initdb" -D "$DIR/pg/data" -U postgres --auth=trust >/dev/null
  fi
  require_password_for_check_role
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -l "$DIR/pg/log" -w -o \
    "-p $PG_PORT -k $DIR/pg -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  wait_until 20 "postgresql on $PG_PORT" "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$PG_PORT"
}

# Everyone is trusted on loopback, except one role the tests use to check that a wrong password is
# refused (PostgreSQL cannot refuse a password under trust).
require_password_for_check_role() {
  local hba="$DIR/pg/data/pg_hba.conf"
  grep -q rollout_password_check "$hba" && return 0
  sed -i '1i host    all             rollout_password_check  127.0.0.1/32            scram-sha-256' "$hba"
}

start_nginx() {
  mkdir -p "$DIR/nginx/logs" "$DIR/nginx/conf.d"
  cat > "$DIR/nginx/conf.d/upstream.conf" <<CONF
upstream app {
    server 127.0.0.1:$NGINX_STABLE_PORT weight=100;
    server 127.0.0.1:$NGINX_CANARY_PORT down;
}
CONF
  cat > "$DIR/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $DIR/nginx/nginx.pid;
error_log $DIR/nginx/logs/error.log;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path $DIR/nginx/client_temp;
    proxy_temp_path $DIR/nginx/proxy_temp;
    fastcgi_temp_path $DIR/nginx/fastcgi_temp;
    uwsgi_temp_path $DIR/nginx/uwsgi_temp;
    scgi_temp_path $DIR/nginx/scgi_temp;
    include $DIR/nginx/conf.d/upstream.conf;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location /nginx-health { return 200 "ok\n"; }
        location / { proxy_pass http://app; proxy_next_upstream off; }
    }
}
CONF
  nginx -p "$DIR/nginx/" -c "$DIR/nginx/nginx.conf" -e "$DIR/nginx/logs/error.log"
  wait_until 10 "nginx on $NGINX_PORT" curl -sf "http://127.0.0.1:$NGINX_PORT/nginx-health"
}

start_redis() {
  mkdir -p "$DIR/redis"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$DIR/redis" --daemonize yes \
    --pidfile "$DIR/redis/redis.pid" --logfile "$DIR/redis/redis.log" --save '' --appendonly no
  wait_until 10 "redis on $REDIS_PORT" redis-cli -p "$REDIS_PORT" ping
}

start_prometheus() {
  mkdir -p "$DIR/prometheus/data"
  cat > "$DIR/prometheus/prometheus.yml" <<CONF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: rollout-test-target
    metrics_path: /metrics
    static_configs:
      - targets: ['127.0.0.1:$SCRAPE_PORT']
CONF
  nohup prometheus --config.file="$DIR/prometheus/prometheus.yml" \
    --storage.tsdb.path="$DIR/prometheus/data" --web.listen-address="127.0.0.1:$PROM_PORT" \
    --web.enable-lifecycle > "$DIR/prometheus/log" 2>&1 &
  echo $! > "$DIR/prometheus/pid"
  wait_until 30 "prometheus on $PROM_PORT" curl -sf "http://127.0.0.1:$PROM_PORT/-/ready"
}

write_env() {
  cat > "$DIR/env" <<ENV
ROLLOUT_SERVICES_DIR=$DIR
ROLLOUT_PG_PORT=$PG_PORT
ROLLOUT_PG_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/postgres
ROLLOUT_PG_USER=postgres
ROLLOUT_NGINX_PORT=$NGINX_PORT
ROLLOUT_NGINX_STABLE_PORT=$NGINX_STABLE_PORT
ROLLOUT_NGINX_CANARY_PORT=$NGINX_CANARY_PORT
ROLLOUT_NGINX_CONF=$DIR/nginx/nginx.conf
ROLLOUT_NGINX_UPSTREAM_FILE=$DIR/nginx/conf.d/upstream.conf
ROLLOUT_REDIS_PORT=$REDIS_PORT
ROLLOUT_PROMETHEUS_PORT=$PROM_PORT
ROLLOUT_SCRAPE_TARGET_PORT=$SCRAPE_PORT
ENV
}

up() {
  install
  mkdir -p "$DIR" && chmod 755 "$DIR"
  for p in $PG_PORT $NGINX_PORT $REDIS_PORT $PROM_PORT; do
    port_free "$p" || { log "port $p is taken: stop what holds it, or run '$0 down', or set ROLLOUT_*_PORT"; exit 1; }
  done
  start_postgres
  start_nginx
  start_redis
  start_prometheus
  write_env
  log "all up; settings in $DIR/env"
}

down() {
  [ -d "$DIR" ] || return 0
  [ -f "$DIR/pg/data/postmaster.pid" ] && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -m immediate stop >/dev/null 2>&1 || true
  [ -f "$DIR/nginx/nginx.pid" ] && nginx -p "$DIR/nginx/" -c "$DIR/nginx/nginx.conf" -s stop 2>/dev/null || true
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  curl -sf -X POST "http://127.0.0.1:$PROM_PORT/-/quit" >/dev/null 2>&1 || \
    { [ -f "$DIR/prometheus/pid" ] && kill "$(cat "$DIR/prometheus/pid")" 2>/dev/null || true; }
  # Stopping is asynchronous: an `up` right after would find a port still bound (Prometheus'
  # "address already in use"). Wait, up to 15 s, until no port answers.
  for _ in $(seq 1 150); do
    local open=0
    for port in "$PG_PORT" "$NGINX_PORT" "$REDIS_PORT" "$PROM_PORT"; do
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && open=1
    done
    [ "$open" = 0 ] && break
    sleep 0.1
  done
  rm -rf "$DIR"
  log "all down"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  env) write_env; cat "$DIR/env" ;;
  *) echo "usage: $0 up|down|env" >&2; exit 2 ;;
esac
