#!/usr/bin/env bash
# A pseudo-distributed Hadoop 3.3.4 on this machine, from Maven Central jars only: NameNode, DataNode,
# ResourceManager and NodeManager, each its own Java process on 127.0.0.1, plus an S3 emulator (moto) for s3a://.
#
#   scripts/hadoop-cluster.sh setup    jars into ~/.cache/mllab-hadoop (test/cluster/pom.xml), moto into a venv; once
#   scripts/hadoop-cluster.sh start    writes the configuration, formats HDFS, starts the daemons (in $MLLAB_CLUSTER_DIR)
#   scripts/hadoop-cluster.sh wait     until HDFS has its DataNode and YARN its NodeManager (bounded)
#   scripts/hadoop-cluster.sh stop     every daemon by its pid (TERM, then KILL), then anything still running from the cluster's folder
#   scripts/hadoop-cluster.sh status   which daemons run
#   scripts/hadoop-cluster.sh env      the two exports that point the hadoop runner at this cluster
#   scripts/hadoop-cluster.sh test     the cluster suite (test/cluster), inside a private network namespace: what npm run test:cluster runs
#   scripts/hadoop-cluster.sh bench    times one HW6 job on inline, local and the cluster over 1,000,000 points
#
# Every daemon runs under `timeout` (no daemon outlives $MLLAB_CLUSTER_LIFETIME seconds, 3600 by default, whatever
# happens to this script), and `test`/`bench` run inside `unshare --net --pid`: loopback only, and the kernel ends every
# process in the namespace when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=3.3.4
CACHE="${MLLAB_HADOOP_CACHE:-$HOME/.cache/mllab-hadoop}"
LIB="$CACHE/hadoop-$VERSION/cluster-lib"
VENV="$CACHE/moto-venv"
DIR="${MLLAB_CLUSTER_DIR:-${TMPDIR:-/tmp}/mllab-cluster}"
OFFSET="${MLLAB_CLUSTER_PORT_OFFSET:-0}"
LIFETIME="${MLLAB_CLUSTER_LIFETIME:-3600}"
DAEMONS=(namenode datanode resourcemanager nodemanager s3)
port() { echo $(($1 + OFFSET)); }
say() { echo "hadoop-cluster: $*" >&2; }
die() { say "$*"; exit 1; }

if [ -z "${JAVA_HOME:-}" ] && command -v java >/dev/null; then
  JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
fi
export JAVA_HOME="${JAVA_HOME:-}"
# Java 17 closes JDK internals that the ResourceManager, the NodeManager and the MapReduce application master open.
OPENS=(--add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.util=ALL-UNNAMED --add-opens java.base/java.lang.reflect=ALL-UNNAMED)

setup() {
  local sudo="" need=()
  [ "$(id -u)" = 0 ] || sudo="sudo"
  command -v java >/dev/null || need+=(openjdk-17-jre-headless)
  command -v mvn >/dev/null || need+=(maven)
  command -v curl >/dev/null || need+=(curl)
  command -v ip >/dev/null || need+=(iproute2)
  python3 -m venv --help >/dev/null 2>&1 || need+=(python3 python3-venv)
  if [ ${#need[@]} -gt 0 ]; then
    say "installing ${need[*]}"
    $sudo apt-get install -y -q "${need[@]}" >/dev/null || { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q "${need[@]}" >/dev/null; }
  fi
  if [ ! -f "$LIB/hadoop-aws-$VERSION.jar" ]; then
    say "resolving Hadoop $VERSION jars from Maven Central into $LIB"
    rm -rf "$LIB.partial"
    mvn -q -B -f test/cluster/pom.xml -Dhadoop.version=$VERSION dependency:copy-dependencies -DoutputDirectory="$LIB.partial" >&2
    mv "$LIB.partial" "$LIB"
  fi
  if [ ! -f "$VENV/.complete" ]; then
    say "installing moto[server] 5.2.5 into $VENV"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check "moto[server]==5.2.5" >&2
    touch "$VENV/.complete"
  fi
  echo "$LIB"
}

prop() { printf '  <property><name>%s</name><value>%s</value></property>\n' "$1" "$2"; }
site() { # site FILE name value name value …
  local file="$1"; shift
  { echo '<?xml version="1.0"?>'; echo '<configuration>'; while [ $# -gt 0 ]; do prop "$1" "$2"; shift 2; done; echo '</configuration>'; } > "$DIR/conf/$file"
}

configure() {
  local c="$DIR/conf" d="$DIR/data" h=127.0.0.1
  mkdir -p "$c" "$d" "$DIR/logs" "$DIR/pids"
  # The hadoop-hdfs jar has no web apps; the HTTP servers only need these folders on the classpath.
  mkdir -p "$c"/webapps/{hdfs,datanode,secondary,journal}
  site core-site.xml \
    fs.defaultFS "hdfs://$h:$(port 9000)" \
    hadoop.tmp.dir "$d/tmp"
  site hdfs-site.xml \
    dfs.replication 1 \
    dfs.namenode.name.dir "$d/name" dfs.datanode.data.dir "$d/data" \
    dfs.namenode.rpc-bind-host $h dfs.namenode.http-address "$h:$(port 9870)" dfs.namenode.https-address "$h:$(port 9871)" \
    dfs.namenode.secondary.http-address "$h:$(port 9868)" \
    dfs.datanode.address "$h:$(port 9866)" dfs.datanode.http.address "$h:$(port 9864)" dfs.datanode.ipc.address "$h:$(port 9867)" \
    dfs.datanode.hostname $h dfs.permissions.enabled false dfs.namenode.safemode.extension 0
  site yarn-site.xml \
    yarn.resourcemanager.hostname $h yarn.resourcemanager.bind-host $h \
    yarn.resourcemanager.address "$h:$(port 8032)" yarn.resourcemanager.scheduler.address "$h:$(port 8030)" \
    yarn.resourcemanager.resource-tracker.address "$h:$(port 8031)" yarn.resourcemanager.admin.address "$h:$(port 8033)" \
    yarn.resourcemanager.webapp.address "$h:$(port 8088)" \
    yarn.nodemanager.hostname $h yarn.nodemanager.bind-host $h yarn.nodemanager.address "$h:$(port 45454)" \
    yarn.nodemanager.localizer.address "$h:$(port 8040)" yarn.nodemanager.webapp.address "$h:$(port 8042)" \
    yarn.nodemanager.aux-services mapreduce_shuffle \
    yarn.nodemanager.aux-services.mapreduce_shuffle.class org.apache.hadoop.mapred.ShuffleHandler \
    yarn.nodemanager.resource.memory-mb 3072 yarn.nodemanager.resource.cpu-vcores 4 \
    yarn.scheduler.minimum-allocation-mb 128 yarn.scheduler.maximum-allocation-mb 3072 \
    yarn.nodemanager.vmem-check-enabled false \
    yarn.nodemanager.local-dirs "$d/nm-local" yarn.nodemanager.log-dirs "$d/nm-logs" \
    yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage 99 \
    yarn.application.classpath "$c,$LIB/*" \
    yarn.nodemanager.env-whitelist "JAVA_HOME,PATH,LANG,TZ,HADOOP_CONF_DIR" \
    yarn.log-aggregation-enable true yarn.nodemanager.remote-app-log-dir /tmp/logs \
    yarn.resourcemanager.connect.max-wait.ms 30000 \
    yarn.resourcemanager.nodemanagers.heartbeat-interval-ms 250
  # Task JVMs are short-lived: the C1 compiler and the serial collector start them faster.
  local task_opts="-Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
  site mapred-site.xml \
    mapreduce.framework.name yarn mapreduce.application.classpath "$c,$LIB/*" \
    yarn.app.mapreduce.am.resource.mb 512 yarn.app.mapreduce.am.command-opts "-Xmx384m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC ${OPENS[*]}" \
    yarn.app.mapreduce.am.scheduler.heartbeat.interval-ms 250 \
    mapreduce.map.memory.mb 384 mapreduce.reduce.memory.mb 384 \
    mapreduce.map.java.opts "$task_opts" mapreduce.reduce.java.opts "$task_opts" \
    mapreduce.shuffle.port "$(port 13562)" \
    mapreduce.client.completion.pollinterval 500 mapreduce.client.progressmonitor.pollinterval 500 \
    mapreduce.jobhistory.address "$h:$(port 10020)" mapreduce.jobhistory.webapp.address "$h:$(port 19888)"
  site capacity-scheduler.xml \
    yarn.scheduler.capacity.root.queues default yarn.scheduler.capacity.root.default.capacity 100 \
    yarn.scheduler.capacity.root.default.maximum-capacity 100 yarn.scheduler.capacity.maximum-am-resource-percent 0.5
  cat > "$c/log4j.properties" <<EOF
log4j.rootLogger=INFO, console
log4j.appender.console=org.apache.log4j.ConsoleAppender
log4j.appender.console.target=System.err
log4j.appender.console.layout=org.apache.log4j.PatternLayout
log4j.appender.console.layout.ConversionPattern=%d{HH:mm:ss} %p %c{1}: %m%n
EOF
}

pidfile() { echo "$DIR/pids/$1.pid"; }
alive() { [ -f "$(pidfile "$1")" ] && kill -0 "$(cat "$(pidfile "$1")")" 2>/dev/null; }

# daemon NAME HEAP MAIN-CLASS [JAVA-FLAGS…]: its own session and process group (so it and what it runs are stopped
# together), its pid in pids/NAME.pid, its output in logs/NAME.log, and a hard lifetime.
daemon() {
  local name="$1" heap="$2" main="$3"; shift 3
  java_daemon "$name" java "$@" "-Xmx$heap" "-Dhadoop.log.dir=$DIR/logs" -cp "$DIR/conf:$LIB/*" "$main"
}
java_daemon() {
  local name="$1"; shift
  setsid bash -c 'echo $$ > "$0"; exec timeout "$1" "${@:2}"' "$(pidfile "$name")" "$LIFETIME" "$@" > "$DIR/logs/$name.log" 2>&1 < /dev/null &
  disown
}

start() {
  [ -f "$LIB/hadoop-aws-$VERSION.jar" ] || die "no cluster jars in $LIB: run scripts/hadoop-cluster.sh setup"
  for d in "${DAEMONS[@]}"; do alive "$d" && die "$d is already running ($DIR); stop it first"; done
  rm -rf "$DIR/conf" "$DIR/data" "$DIR/logs" "$DIR/pids"
  configure
  timeout 120 java -cp "$DIR/conf:$LIB/*" org.apache.hadoop.hdfs.server.namenode.NameNode -format -nonInteractive -force > "$DIR/logs/format.log" 2>&1 \
    || { tail -n 20 "$DIR/logs/format.log" >&2; die "formatting HDFS failed"; }
  daemon namenode 256m org.apache.hadoop.hdfs.server.namenode.NameNode
  daemon datanode 192m org.apache.hadoop.hdfs.server.datanode.DataNode
  daemon resourcemanager 384m org.apache.hadoop.yarn.server.resourcemanager.ResourceManager "${OPENS[@]}"
  daemon nodemanager 256m org.apache.hadoop.yarn.server.nodemanager.NodeManager "${OPENS[@]}"
  if [ -f "$VENV/.complete" ]; then
    java_daemon s3 "$VENV/bin/moto_server" -H 127.0.0.1 -p "$(port 5000)"
  fi
  say "started in $DIR"
}

ready() {
  local nn="http://127.0.0.1:$(port 9870)/jmx?qry=Hadoop:service=NameNode,name="
  curl -sf --max-time 2 "${nn}FSNamesystemState" | grep -q '"NumLiveDataNodes" : 1' &&
    curl -sf --max-time 2 "${nn}NameNodeInfo" | grep -q '"Safemode" : ""' &&
    curl -sf --max-time 2 "http://127.0.0.1:$(port 8088)/ws/v1/cluster/metrics" | grep -q '"activeNodes":1' &&
    { [ ! -f "$(pidfile s3)" ] || curl -s --max-time 2 -o /dev/null "http://127.0.0.1:$(port 5000)/"; }
}

wait_ready() {
  local limit="${1:-180}" started=$SECONDS
  until ready; do
    for d in "${DAEMONS[@]}"; do
      if [ -f "$(pidfile "$d")" ] && ! alive "$d"; then tail -n 30 "$DIR/logs/$d.log" >&2; die "$d exited while starting"; fi
    done
    if ((SECONDS - started > limit)); then
      for d in "${DAEMONS[@]}"; do [ -f "$DIR/logs/$d.log" ] && { echo "--- $d" >&2; tail -n 10 "$DIR/logs/$d.log" >&2; }; done
      die "not ready after $limit s"
    fi
    sleep 1
  done
  say "ready after $((SECONDS - started)) s"
}

# Processes started from the cluster's folder (task containers run in their own sessions, so stopping the
# NodeManager's group does not reach them): their command line names the folder, or they work inside it.
leftovers() {
  local p pid cwd
  for p in /proc/[0-9]*; do
    pid="${p#/proc/}"
    [ "$pid" = $$ ] || [ "$pid" = "$PPID" ] && continue
    cwd="$(readlink "$p/cwd" 2>/dev/null || true)"
    # "$DIR/" so that /tmp/mllab-cluster does not match /tmp/mllab-cluster-other.
    if [[ "$cwd/" == "$DIR/"* ]] || { tr '\0' ' ' < "$p/cmdline"; } 2>/dev/null | grep -qF -- "$DIR/"; then echo "$pid"; fi
  done
}

stop() {
  local d pids=() waited=0
  for d in "${DAEMONS[@]}"; do
    if alive "$d"; then pids+=("$(cat "$(pidfile "$d")")"); fi
  done
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
  # After a job the NodeManager can hang on SIGTERM: give every daemon 10 s, then KILL.
  while [ ${#pids[@]} -gt 0 ] && [ $waited -lt 20 ]; do
    local still=()
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && still+=("$pid"); done
    pids=("${still[@]+"${still[@]}"}")
    [ ${#pids[@]} -eq 0 ] && break
    sleep 0.5
    waited=$((waited + 1))
  done
  for pid in "${pids[@]+"${pids[@]}"}"; do kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; done
  leftovers | while read -r pid; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -f "$DIR"/pids/*.pid
  say "stopped"
}

status() {
  for d in "${DAEMONS[@]}"; do
    if alive "$d"; then echo "$d running (pid $(cat "$(pidfile "$d")"))"; elif [ -f "$(pidfile "$d")" ]; then echo "$d exited"; else echo "$d not started"; fi
  done
}

env_exports() {
  echo "export HADOOP_CONF_DIR=$DIR/conf"
  echo "export MLLAB_HADOOP_CLASSPATH='$LIB/*'"
}

# inside SUITE…: runs in the cluster's namespace (or, where unshare is not allowed, on this machine's loopback).
inside() {
  local what="$1"; shift
  if [ "${MLLAB_CLUSTER_NETNS:-}" = 1 ]; then ip link set lo up; fi
  trap stop EXIT
  trap 'exit 143' TERM INT # so that a time limit's SIGTERM still runs stop
  start
  wait_ready 180
  mkdir -p "$DIR/tmp"
  local run=(env TMPDIR="$DIR/tmp" HADOOP_CONF_DIR="$DIR/conf" MLLAB_HADOOP_CLASSPATH="$LIB/*" MLLAB_S3_ENDPOINT="http://127.0.0.1:$(port 5000)")
  case "$what" in
    suite) "${run[@]}" node --import tsx --test --test-reporter=spec --test-concurrency=1 "$@" test/cluster/*.test.ts ;;
    bench) "${run[@]}" node --import tsx test/cluster/bench.ts "$@" ;;
  esac
}

# isolated SUITE|bench: setup outside, then the cluster and the run inside a private network and pid namespace under
# a hard time limit; afterwards, checked from outside, nothing of it may still run and its folder is removed.
isolated() {
  local what="$1" limit="$2"; shift 2
  setup > /dev/null
  [ -f kernel-lib/dist/mapreduce/streaming.js ] || die "ml-lab is not built: npm run build"
  DIR="$(mktemp -d "${TMPDIR:-/tmp}/mllab-cluster-XXXXXX")"
  export MLLAB_CLUSTER_DIR="$DIR"
  local ns=()
  if unshare --net --pid --fork --kill-child --mount-proc true 2>/dev/null; then
    ns=(unshare --net --pid --fork --kill-child --mount-proc env MLLAB_CLUSTER_NETNS=1)
  else
    say "cannot make a network namespace here (needs root): the cluster runs on this machine's loopback"
  fi
  set +e
  timeout -k 15 "$limit" "${ns[@]}" bash "$0" inside "$what" "$@"
  local rc=$?
  set -e
  [ $rc = 124 ] && say "$what ran past its limit of $limit s"
  local rest
  rest="$(leftovers)"
  if [ -n "$rest" ]; then
    say "left running after $what:"; ps -o pid,args -p "$(echo "$rest" | paste -sd,)" >&2 || true
    echo "$rest" | while read -r pid; do kill -KILL "$pid" 2>/dev/null || true; done
    rc=1
  fi
  # (tsx keeps its compile cache there too; only our own folders count.)
  if [ -d "$DIR/tmp" ] && ls "$DIR/tmp" | grep -q '^mllab-'; then
    say "temp folders left by $what: $(ls "$DIR/tmp" | grep '^mllab-' | paste -sd' ')"
    rc=1
  fi
  rm -rf "$DIR"
  [ $rc = 0 ] && say "$what: nothing left running, nothing left in the temp folder"
  return $rc
}

case "${1:-}" in
  setup) setup ;;
  start) start ;;
  wait) wait_ready "${2:-180}" ;;
  stop) stop ;;
  status) status ;;
  env) env_exports ;;
  test) shift; isolated suite "${MLLAB_CLUSTER_TEST_LIMIT:-1500}" "$@" ;;
  bench) shift; isolated bench "${MLLAB_CLUSTER_BENCH_LIMIT:-1800}" "$@" ;;
  inside) shift; inside "$@" ;;
  *) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
