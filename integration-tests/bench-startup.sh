#!/usr/bin/env bash
# Benchmark (not part of ./run-tests): start-up of 'javalived run' beside keepalived's, on this host. As root.
# In a network namespace of its own (a veth pair inside it; a TCP listener on the real server's address), RUNS times
# each (median printed, and every run):
#   keepalived -n -l -P (VRRP only: its checker exits without IPVS here): exec to "Entering BACKUP STATE (init)"
#   javalived run -P (VRRP only), the same configuration: exec to "Entering BACKUP STATE (init)"
#   javalived run --ipvs-dry-run (VRRP + one virtual server, TCP_CHECK, delay_loop 1, warmup 0): exec to
#     "Entering BACKUP STATE (init)" and to the first check's "TCP connection to ... success." line
# Times are from the fork to the line appearing in the log (polled every 5 ms); CPU is the daemon's user + sys at that
# point. The load average is printed: other work on the machine shows in these wall times.
# usage: integration-tests/bench-startup.sh [--runs N (5)] [--launcher PATH (./javalived)]
#   JVM options: JAVALIVED_JAVA_OPTS as for the launcher.
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
runs=5 launcher=$repo/javalived
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=${2:?}; shift 2 ;;
    --launcher) launcher=$(readlink -m "${2:?}"); shift 2 ;;
    -h|--help) sed -n '2,/^set /{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-startup.sh: unknown argument '$1' (--runs N, --launcher PATH)" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "bench-startup.sh: run it as root (network namespace)" >&2; exit 1; }
command -v keepalived >/dev/null || { echo "bench-startup.sh: keepalived is missing" >&2; exit 1; }
ns=jvstart$$
dir=$(mktemp -d /tmp/jvstart.XXXXXX)
daemon= listener=
cleanup() {
  [ -n "$daemon" ] && { kill "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true; }
  [ -n "$listener" ] && { kill "$listener" 2>/dev/null || true; wait "$listener" 2>/dev/null || true; }
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
"$launcher" --version >/dev/null
ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add eth0 type veth peer name eth0p
ip -n "$ns" addr add 192.0.2.1/24 dev eth0
ip -n "$ns" addr add 10.77.0.2/24 dev eth0p
ip -n "$ns" link set eth0 up
ip -n "$ns" link set eth0p up
ip netns exec "$ns" python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("10.77.0.2", 80)); s.listen(64)
while True: s.accept()[0].close()' &
listener=$!

vrrp_block() {
  echo "vrrp_instance VI_1 {"
  echo "  state BACKUP"
  echo "  interface eth0"
  echo "  virtual_router_id 51"
  echo "  priority 100"
  echo "  advert_int 1"
  echo "  virtual_ipaddress {"
  echo "    192.0.2.100/24"
  echo "  }"
  echo "}"
}
{ echo "global_defs {"; echo "  router_id startbench"; echo "}"; vrrp_block; } > "$dir/vrrp.conf"
{
  echo "global_defs {"; echo "  router_id startbench"; echo "}"; vrrp_block
  echo "virtual_server 192.0.2.100 80 {"
  echo "  delay_loop 1"
  echo "  lb_algo rr"
  echo "  lb_kind NAT"
  echo "  protocol TCP"
  echo "  real_server 10.77.0.2 80 {"
  echo "    weight 1"
  echo "    warmup 0"
  echo "    TCP_CHECK {"
  echo "      connect_timeout 2"
  echo "    }"
  echo "  }"
  echo "}"
} > "$dir/full.conf"

hz=$(getconf CLK_TCK)
# ticks PID: user + sys clock ticks of PID and of its live descendants (keepalived's VRRP child does its work)
ticks() {
  local s t c
  s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  s=${s##*) }; set -- "$1" $s
  t=$(( ${13} + ${14} ))
  for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do t=$(( t + $(ticks "$c") )); done
  echo "$t"
}
# one: LABEL PATTERN... -- CMD...: starts CMD, prints "ms cpu_ms" for each PATTERN as it appears, then stops CMD
one() {
  local pats=() p t0 now out="" found
  while [ "$1" != -- ]; do pats+=("$1"); shift; done
  shift
  : > "$dir/log"
  t0=$EPOCHREALTIME
  ip netns exec "$ns" "$@" >"$dir/log" 2>&1 &
  daemon=$!
  for p in "${pats[@]}"; do
    found=
    for _ in $(seq 12000); do # 60 s
      if grep -qF -- "$p" "$dir/log"; then found=1; break; fi
      sleep 0.005
    done
    now=$EPOCHREALTIME
    local cpu=NA
    if [ -n "$found" ] && [ -r "/proc/$daemon/stat" ]; then
      cpu=$(( $(ticks "$daemon") * 1000 / hz ))
    fi
    [ -n "$found" ] && out="$out $(awk -v a="$t0" -v b="$now" 'BEGIN {printf "%d", (b - a) * 1000}')/$cpu" \
      || out="$out NA/NA"
  done
  kill "$daemon" 2>/dev/null || true
  wait "$daemon" 2>/dev/null || true
  daemon=
  ip -n "$ns" addr del 192.0.2.100/24 dev eth0 2>/dev/null || true
  echo "$out"
}
median() { sort -n | awk '{a[NR] = $1} END {m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2;
  printf "%d", m}'; }
report() { # LABEL FIELD-COUNT: reads lines of "wall/cpu ..." and prints medians per field
  local label=$1 lines; lines=$(cat)
  local i f="" w c
  for ((i = 1; i <= $2; i++)); do
    w=$(echo "$lines" | awk -v i="$i" '{split($i, a, "/"); print a[1]}' | median)
    c=$(echo "$lines" | awk -v i="$i" '{split($i, a, "/"); print a[2]}' | median)
    f="$f | $w / $c"
  done
  for (( ; i <= 2; i++)); do f="$f | —"; done
  echo "| $label$f | $(echo "$lines" | tr '\n' ';') |"
}
echo "median of $runs runs; load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs);" \
  "JVM options: ${JAVALIVED_JAVA_OPTS:-launcher default}"
echo "| daemon | to BACKUP (init): wall / CPU ms | to first check: wall / CPU ms | runs |"
echo "| --- | --- | --- | --- |"
for _ in $(seq "$runs"); do one "Entering BACKUP STATE (init)" -- keepalived -n -l -P -f "$dir/vrrp.conf" \
  -p "$dir/k.pid" -r "$dir/r.pid"; done | report "keepalived -P (VRRP only)" 1
for _ in $(seq "$runs"); do one "Entering BACKUP STATE (init)" -- "$launcher" run -P --no-metrics \
  -f "$dir/vrrp.conf" -p "$dir/j.pid"; done | report "javalived run -P (VRRP only)" 1
for _ in $(seq "$runs"); do one "Entering BACKUP STATE (init)" "TCP connection to [10.77.0.2]:tcp:80 success." -- \
  "$launcher" run --ipvs-dry-run --no-metrics -f "$dir/full.conf" -p "$dir/j.pid"; done \
  | report "javalived run --ipvs-dry-run (VRRP + TCP_CHECK)" 2
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
