#!/usr/bin/env bash
# Start (or stop) a real single-node Elasticsearch for the tests, from the integration-test
# distribution on Maven Central (cached in ~/.m2). It refuses to run as root, so it runs as
# the user `onrustradar-es`, created here when needed.
#   .ci/es.sh start   -> prints the URL (http://127.0.0.1:PORT) once the cluster is healthy
#   .ci/es.sh stop
set -euo pipefail
VERSION="${ES_VERSION:-8.19.3}"
PORT="${ES_PORT:-9250}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
HOME_DIR="$ROOT/.es/elasticsearch-$VERSION"
RUN="$ROOT/.es/run"
ZIP="$HOME/.m2/repository/org/elasticsearch/distribution/integ-test-zip/elasticsearch/$VERSION/elasticsearch-$VERSION.zip"
ES_USER=onrustradar-es

stop() {
  if [ -f "$RUN/es.pid" ]; then
    local pid
    pid="$(cat "$RUN/es.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    rm -f "$RUN/es.pid"
  fi
}

start() {
  command -v java >/dev/null || { echo "es.sh: java not found" >&2; exit 3; }
  if [ ! -f "$ZIP" ]; then
    mvn -q dependency:get -Dartifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$VERSION:zip" -Dtransitive=false >&2
  fi
  if [ ! -x "$HOME_DIR/bin/elasticsearch" ]; then
    mkdir -p "$ROOT/.es"
    (cd "$ROOT/.es" && unzip -q -o "$ZIP")
  fi
  stop
  rm -rf "$RUN" && mkdir -p "$RUN/data" "$RUN/logs"
  local as=()
  if [ "$(id -u)" = 0 ]; then
    id "$ES_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$ES_USER"
    chown -R "$ES_USER" "$HOME_DIR" "$RUN"
    # the user must be able to reach the folders on the way
    chmod o+x "$ROOT" "$ROOT/.es" 2>/dev/null || true
    as=(runuser -u "$ES_USER" --)
  fi
  local java_home
  java_home="${ES_JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
  "${as[@]}" env ES_JAVA_HOME="$java_home" ES_JAVA_OPTS="-Xms512m -Xmx512m" "$HOME_DIR/bin/elasticsearch" -d -p "$RUN/es.pid" \
    -E discovery.type=single-node -E xpack.security.enabled=false -E network.host=127.0.0.1 \
    -E http.port="$PORT" -E path.data="$RUN/data" -E path.logs="$RUN/logs" \
    -E cluster.routing.allocation.disk.threshold_enabled=false >"$RUN/logs/console.log" 2>&1
  for _ in $(seq 120); do
    if curl -fsS "http://127.0.0.1:$PORT/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1; then
      echo "http://127.0.0.1:$PORT"
      return 0
    fi
    sleep 1
  done
  echo "es.sh: Elasticsearch did not become healthy; last log lines:" >&2
  tail -20 "$RUN"/logs/*.log >&2 || true
  exit 1
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
