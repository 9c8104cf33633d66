#!/usr/bin/env bash
# A three-node MariaDB Galera cluster on this machine, for the cluster tests and bench:
#
#   scripts/cluster.sh start            fresh data, node 1 bootstraps, 2 and 3 join (rsync SST)
#   scripts/cluster.sh status           each node's process, cluster size and state
#   scripts/cluster.sh stop             stops every node (by the PID it wrote), keeps the data
#   scripts/cluster.sh kill N           SIGKILLs node N (a crash)
#   scripts/cluster.sh start-node N     starts node N again; it rejoins the running cluster
#   scripts/cluster.sh urls             the three nodes' mysql:// URLs, one a line
#
# Its own ports (SQL 3311-3313, Galera 4571-4573, IST 4581-4583, SST 4591-4593) and its own
# directory (CLUSTER_DIR, default /tmp/esito-cluster); nothing here reads /etc/mysql or touches
# the MariaDB on 3306. The servers run as user mysql, which owns the data directories (the
# rsync state transfer runs as that user). The account esito/esito gets what .ci/run grants.
set -euo pipefail

DIR="${CLUSTER_DIR:-/tmp/esito-cluster}"
PROVIDER=/usr/lib/galera/libgalera_smm.so
NODES=(1 2 3)
sql_port() { echo $((3310 + $1)); }
galera_port() { echo $((4570 + $1)); }
ist_port() { echo $((4580 + $1)); }
sst_port() { echo $((4590 + $1)); }
socket() { echo "$DIR/node$1/mysqld.sock"; }
pidfile() { echo "$DIR/node$1/mysqld.pid"; }
client() { mariadb --no-defaults --protocol=socket --socket="$(socket "$1")" -uroot -N -B "${@:2}"; }

die() {
  echo "cluster: $*" >&2
  exit 1
}

pid_of() {
  local file
  file=$(pidfile "$1")
  [ -s "$file" ] && kill -0 "$(cat "$file")" 2>/dev/null && cat "$file"
}

status_var() { client "$1" -e "SHOW GLOBAL STATUS LIKE '$2'" 2>/dev/null | cut -f2; }

write_config() {
  local n=$1 members=""
  for m in "${NODES[@]}"; do members="${members:+$members,}127.0.0.1:$(galera_port "$m")"; done
  mkdir -p "$DIR/node$n/data"
  cat >"$DIR/node$n/my.cnf" <<EOF
[mysqld]
user = mysql
datadir = $DIR/node$n/data
socket = $(socket "$n")
pid-file = $(pidfile "$n")
log-error = $DIR/node$n/error.log
port = $(sql_port "$n")
bind-address = 127.0.0.1
skip-name-resolve
character-set-server = utf8mb4
collation-server = utf8mb4_unicode_ci
performance_schema = OFF
innodb_buffer_pool_size = 128M
innodb_log_file_size = 64M
# Durability comes from the other nodes holding every commit; the log is flushed once a second.
innodb_flush_log_at_trx_commit = 2
max_connections = 300
binlog_format = ROW
default_storage_engine = InnoDB
innodb_autoinc_lock_mode = 2
wsrep_on = ON
wsrep_provider = $PROVIDER
wsrep_cluster_name = esito_test_cluster
wsrep_cluster_address = gcomm://$members
wsrep_node_name = node$n
wsrep_node_address = 127.0.0.1:$(galera_port "$n")
wsrep_provider_options = "gmcast.listen_addr=tcp://127.0.0.1:$(galera_port "$n");ist.recv_addr=127.0.0.1:$(ist_port "$n");gcache.size=128M;evs.suspect_timeout=PT3S;evs.inactive_timeout=PT6S;evs.install_timeout=PT6S"
wsrep_sst_method = rsync
wsrep_sst_receive_address = 127.0.0.1:$(sst_port "$n")
wsrep_slave_threads = 2
EOF
  chown -R mysql:mysql "$DIR/node$n"
}

# Waits until node N answers and is Synced (or gives up after $2 seconds).
wait_synced() {
  local n=$1 limit=$2
  for _ in $(seq 1 $((limit * 5))); do
    if [ "$(status_var "$n" wsrep_local_state_comment)" = Synced ]; then return 0; fi
    # The server writes its pid file once it runs; gone after that, it has died.
    if [ -s "$(pidfile "$n")" ] && [ -z "$(pid_of "$n" || true)" ]; then break; fi
    sleep 0.2
  done
  tail -n 30 "$DIR/node$n/error.log" >&2 || true
  die "node $n is not Synced after ${limit}s (log: $DIR/node$n/error.log)"
}

launch() {
  local n=$1
  shift
  [ -z "$(pid_of "$n" || true)" ] || die "node $n already runs (pid $(pid_of "$n"))"
  for port in $(sql_port "$n") $(galera_port "$n") $(ist_port "$n") $(sst_port "$n"); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then die "port $port is taken"; fi
  done
  rm -f "$(pidfile "$n")"
  # setsid: the server outlives this script and the shell that ran it.
  setsid /usr/sbin/mariadbd --defaults-file="$DIR/node$n/my.cnf" "$@" </dev/null >/dev/null 2>&1 &
}

start_node() {
  local n=$1
  [ -f "$DIR/node$n/my.cnf" ] || die "no node $n in $DIR: run start first"
  launch "$n"
  wait_synced "$n" 120
}

start() {
  [ -x /usr/sbin/mariadbd ] || die "mariadbd is not installed"
  [ -f "$PROVIDER" ] || die "$PROVIDER is missing (apt-get install galera-4)"
  command -v rsync >/dev/null || die "rsync is missing (the state transfer uses it)"
  for n in "${NODES[@]}"; do [ -z "$(pid_of "$n" || true)" ] || die "node $n runs already: stop first"; done
  rm -rf "$DIR"
  mkdir -p "$DIR"
  chmod 755 "$DIR"
  for n in "${NODES[@]}"; do write_config "$n"; done
  mariadb-install-db --no-defaults --user=mysql --datadir="$DIR/node1/data" \
    --auth-root-authentication-method=socket --skip-test-db >"$DIR/install.log" 2>&1 ||
    die "mariadb-install-db failed: $DIR/install.log"
  launch 1 --wsrep-new-cluster
  wait_synced 1 60
  client 1 -e "
    CREATE USER IF NOT EXISTS 'esito'@'127.0.0.1' IDENTIFIED BY 'esito';
    CREATE USER IF NOT EXISTS 'esito'@'localhost' IDENTIFIED BY 'esito';
    GRANT ALL PRIVILEGES ON \`esito%\`.* TO 'esito'@'127.0.0.1';
    GRANT ALL PRIVILEGES ON \`esito%\`.* TO 'esito'@'localhost';
    GRANT PROCESS ON *.* TO 'esito'@'127.0.0.1';
    GRANT PROCESS ON *.* TO 'esito'@'localhost';"
  # One joiner at a time: a donor serves one state transfer.
  start_node 2
  start_node 3
  for _ in $(seq 1 100); do
    [ "$(status_var 1 wsrep_cluster_size)" = 3 ] && break
    sleep 0.2
  done
  [ "$(status_var 1 wsrep_cluster_size)" = 3 ] || die "the cluster did not reach 3 nodes"
  status
}

stop_node() {
  local n=$1 pid
  pid=$(pid_of "$n" || true)
  [ -n "$pid" ] || return 0
  kill -TERM "$pid"
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  kill -KILL "$pid" 2>/dev/null || true
}

stop() {
  # The last to stop is the one safe to bootstrap from.
  for n in 3 2 1; do stop_node "$n"; done
}

kill_node() {
  local n=$1 pid
  pid=$(pid_of "$n" || true)
  [ -n "$pid" ] || die "node $n does not run"
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
}

status() {
  for n in "${NODES[@]}"; do
    local pid
    pid=$(pid_of "$n" || true)
    if [ -z "$pid" ]; then
      echo "node $n: down"
    else
      echo "node $n: pid $pid port $(sql_port "$n") size $(status_var "$n" wsrep_cluster_size || echo '?')" \
        "$(status_var "$n" wsrep_local_state_comment || echo '?')"
    fi
  done
}

node_arg() {
  case "${1:-}" in 1 | 2 | 3) echo "$1" ;; *) die "name a node: 1, 2 or 3" ;; esac
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  kill) kill_node "$(node_arg "${2:-}")" ;;
  start-node) start_node "$(node_arg "${2:-}")" ;;
  urls) for n in "${NODES[@]}"; do echo "mysql://esito:esito@127.0.0.1:$(sql_port "$n")"; done ;;
  *) die "usage: $0 start|stop|status|kill N|start-node N|urls" ;;
esac
