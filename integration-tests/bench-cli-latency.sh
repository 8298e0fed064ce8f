#!/usr/bin/env bash
# Benchmark (not part of ./run-tests): how long javalived's short commands take, whole process, beside ipvsadm.
# As root. Prints the median wall-clock time (and the median user+sys CPU time) of RUNS runs of each command after
# one warm-up run:
#   ipvsadm -Ln                    (on a host without IPVS it fails fast - measured anyway)
#   javalived ipvs status          (exit 3 without IPVS: that path is measured then)
#   javalived status               against a running daemon: 'javalived run --ipvs-dry-run' on
#                                  config-samples/lvs-nat-tcp-check.conf in a network namespace of its own
#   javalived status, no daemon    (exit 3), for reference
# The machine's load average is printed with the figures: other work on the machine shows in the wall times.
#
# usage: integration-tests/bench-cli-latency.sh [--runs N (default 10)] [--launcher PATH (default ./javalived)]
#   --launcher: another javalived launcher to measure (e.g. an older checkout's, for a before/after table)
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
runs=10
launcher=$repo/javalived
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=${2:?--runs needs a number}; shift 2 ;;
    --launcher) launcher=$(readlink -m "${2:?--launcher needs a path}"); shift 2 ;;
    -h|--help) sed -n '2,/^set /{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-cli-latency.sh: unknown argument '$1' (--runs N, --launcher PATH)" >&2; exit 2 ;;
  esac
done
[ -x "$launcher" ] || { echo "bench-cli-latency.sh: no launcher at '$launcher'" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "bench-cli-latency.sh: run it as root (network namespace, the daemon)" >&2; exit 1; }
command -v ipvsadm >/dev/null \
  || { echo "bench-cli-latency.sh: ipvsadm is missing (apt-get install ipvsadm)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench-cli-latency.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

ns=jvbench$$
dir=$(mktemp -d /tmp/jvbench.XXXXXX)
daemon=
cleanup() {
  if [ -n "$daemon" ]; then kill "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true; fi
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

# the launcher's own first-run work (building the jar or its class archive) is not what is measured
"$launcher" --version >/dev/null
"$launcher" status -p "$dir/none.pid" >/dev/null 2>&1 || true

# the sample's interfaces (eth0 outside, eth1 inside) as veth pairs in a namespace of our own: its VRRP adverts and
# health checks stay in there
ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add eth0 type veth peer name eth0p
ip -n "$ns" link add eth1 type veth peer name eth1p
ip -n "$ns" addr add 192.0.2.1/24 dev eth0
ip -n "$ns" addr add 10.10.0.2/24 dev eth1
for i in eth0 eth0p eth1 eth1p; do ip -n "$ns" link set "$i" up; done
ip netns exec "$ns" env JAVALIVED_JAVA_OPTS="-XX:+UseSerialGC -Xmx128m" "$launcher" run --ipvs-dry-run \
  --no-metrics -f "$repo/config-samples/lvs-nat-tcp-check.conf" -p "$dir/x.pid" >"$dir/daemon.log" 2>&1 &
daemon=$!
for _ in $(seq 600); do
  grep -q "javalived running" "$dir/daemon.log" && break
  kill -0 "$daemon" 2>/dev/null || { echo "the daemon exited:" >&2; cat "$dir/daemon.log" >&2; exit 1; }
  sleep 0.1
done
if ! "$launcher" status -p "$dir/x.pid" >/dev/null; then
  echo "bench-cli-latency.sh: status does not answer; the daemon's log:" >&2
  cat "$dir/daemon.log" >&2
  exit 1
fi

median() { sort -n | awk '{a[NR] = $1} END {m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2;
  printf "%d", m}'; }
# bench LABEL CMD...: one warm-up, then $runs runs; prints LABEL, the exit code, median wall and CPU in ms
bench() {
  local label=$1 rc=0 t0 t1 i
  shift
  "$@" >/dev/null 2>&1 || true
  : > "$dir/wall"; : > "$dir/cpu"
  for i in $(seq "$runs"); do
    t0=$EPOCHREALTIME
    rc=0
    /usr/bin/time -f '%U %S' -o "$dir/t" "$@" >/dev/null 2>&1 || rc=$?
    t1=$EPOCHREALTIME
    awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%d\n", (b - a) * 1000}' >> "$dir/wall"
    awk '/^[0-9.]+ [0-9.]+$/ {printf "%d\n", ($1 + $2) * 1000}' "$dir/t" >> "$dir/cpu"
  done
  printf '| %-34s | %4s | %14s | %13s |\n' "$label" "$rc" "$(median < "$dir/wall")" "$(median < "$dir/cpu")"
}
echo "median of $runs runs after one warm-up; load average before: $(cut -d' ' -f1-3 /proc/loadavg)" \
  "($(nproc) CPUs); launcher $launcher"
printf '| %-34s | %4s | %14s | %13s |\n' command exit "wall ms median" "CPU ms median"
printf '| %-34s | %4s | %14s | %13s |\n' --- --- --- ---
bench "ipvsadm -Ln" ipvsadm -Ln
bench "javalived ipvs status" "$launcher" ipvs status
bench "javalived status (running daemon)" "$launcher" status -p "$dir/x.pid"
bench "javalived status (no daemon)" "$launcher" status -p "$dir/none.pid"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
