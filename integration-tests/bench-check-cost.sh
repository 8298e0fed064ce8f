#!/usr/bin/env bash
# Benchmark (not part of ./run-tests): CPU per 1,000 health checks and memory of 'javalived run', on this host.
# As root. One network namespace of its own holds N backend addresses (a veth pair inside it), a listener on all of
# them (accept + close for TCP_CHECK; a fixed 200 answer for HTTP_GET) and the daemon ('javalived run -C
# --ipvs-dry-run', N real servers, delay_loop 1). Prints, for the daemon's process (all threads):
#   - the first minute's CPU (user + sys seconds from start to START+60 s) and the checks done in it,
#   - the steady state: CPU per 1,000 checks over WIN seconds after WARM seconds, checks counted by the
#     namespace's TcpPassiveOpens (/proc/net/snmp, as ../shared/bench/checker-vs-keepalived does),
#   - PSS (smaps_rollup), RSS and threads at the end, and the load average (other work on the machine).
# usage: integration-tests/bench-check-cost.sh [--n N (1000)] [--type tcp|http (tcp)] [--warm S (60)]
#          [--win S (60)] [--launcher PATH (./javalived)] [--keepalived] [--jfr FILE]
#   JVM options: JAVALIVED_JAVA_OPTS as for the launcher (measure candidates with it).
#   --keepalived: run 'keepalived -C -n' on the same configuration instead (its checker exits without IPVS, so only
#                 on a host with ip_vs).
#   --jfr FILE: record a JFR profile (settings=profile) over the steady-state window.
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
n=1000 type=tcp warm=60 win=60 launcher=$repo/javalived keepalived= jfr=
while [ $# -gt 0 ]; do
  case $1 in
    --n) n=${2:?}; shift 2 ;;
    --type) type=${2:?}; shift 2 ;;
    --warm) warm=${2:?}; shift 2 ;;
    --win) win=${2:?}; shift 2 ;;
    --launcher) launcher=$(readlink -m "${2:?}"); shift 2 ;;
    --keepalived) keepalived=1; shift ;;
    --jfr) jfr=$(readlink -m "${2:?}"); shift 2 ;;
    -h|--help) sed -n '2,/^set /{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-check-cost.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "bench-check-cost.sh: run it as root (network namespace)" >&2; exit 1; }
case $type in tcp|http) ;; *) echo "bench-check-cost.sh: --type tcp or http, not '$type'" >&2; exit 2 ;; esac
ns=jvcost$$
dir=$(mktemp -d /tmp/jvcost.XXXXXX)
daemon= listener=
cleanup() {
  [ -n "$daemon" ] && { kill "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true; }
  [ -n "$listener" ] && { kill "$listener" 2>/dev/null || true; wait "$listener" 2>/dev/null || true; }
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
[ -n "$keepalived" ] || "$launcher" --version >/dev/null

addr() { echo "10.88.$(( $1 / 250 )).$(( $1 % 250 + 2 ))"; }
ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add d0 type veth peer name d1
ip -n "$ns" link set d0 up
ip -n "$ns" link set d1 up
ip netns exec "$ns" sysctl -qw net.core.somaxconn=4096 net.ipv4.tcp_max_syn_backlog=4096 \
  net.ipv4.ip_local_port_range="10000 65000" net.ipv4.tcp_tw_reuse=1
for ((i = 0; i < n; i++)); do echo "address add $(addr "$i")/16 dev d0"; done | ip -n "$ns" -b -

cat > "$dir/listener.py" <<'EOF'
import selectors, socket, sys
http = sys.argv[1] == "http"
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 80)); s.listen(4096); s.setblocking(False)
sel = selectors.DefaultSelector(); sel.register(s, selectors.EVENT_READ, None)
body = b"ok\n"
reply = b"HTTP/1.0 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\n" + body
print("listening", flush=True)
while True:
    for key, _ in sel.select():
        if key.data is None:
            while True:
                try: c, _ = s.accept()
                except (BlockingIOError, InterruptedError): break
                if not http: c.close(); continue
                c.setblocking(False); sel.register(c, selectors.EVENT_READ, b"")
        else:
            c = key.fileobj
            try: d = c.recv(4096)
            except (BlockingIOError, InterruptedError): continue
            except OSError: d = b""
            buf = key.data + d
            if d and b"\r\n\r\n" not in buf:
                sel.modify(c, selectors.EVENT_READ, buf); continue
            sel.unregister(c)
            try:
                if d: c.sendall(reply)
            except OSError: pass
            c.close()
EOF
ip netns exec "$ns" python3 -u "$dir/listener.py" "$type" >"$dir/listener.log" 2>&1 &
listener=$!
for _ in $(seq 100); do grep -q listening "$dir/listener.log" 2>/dev/null && break; sleep 0.1; done

conf=$dir/keepalived.conf
{
  echo "global_defs {"
  echo "  router_id costbench"
  echo "}"
  echo "virtual_server 10.99.0.100 80 {"
  echo "  delay_loop 1"
  echo "  lb_algo rr"
  echo "  lb_kind NAT"
  echo "  protocol TCP"
  for ((i = 0; i < n; i++)); do
    echo "  real_server $(addr "$i") 80 {"
    echo "    weight 1"
    if [ "$type" = tcp ]; then
      echo "    TCP_CHECK {"
      echo "      connect_timeout 2"
      echo "    }"
    else
      echo "    HTTP_GET {"
      echo "      url {"
      echo "        path /"
      echo "        status_code 200"
      echo "      }"
      echo "      connect_timeout 2"
      echo "    }"
    fi
    echo "  }"
  done
  echo "}"
} > "$conf"

passive() { awk '$1 == "Tcp:" { if (!h) { for (i = 2; i <= NF; i++) nm[i] = $i; h = 1 } else
  for (i = 2; i <= NF; i++) if (nm[i] == "PassiveOpens") print $i }' "/proc/$listener/net/snmp"; }
ticks() { # "user sys" clock ticks of a process (all threads) and its children that exited
  local s; s=$(cat "/proc/$1/stat"); s=${s##*) }; set -- $s; echo "$(( ${12} + ${14} )) $(( ${13} + ${15} ))"; }
hz=$(getconf CLK_TCK)
uptime_s() { cut -d' ' -f1 /proc/uptime; }

t_start=$(uptime_s)
if [ -n "$keepalived" ]; then
  ip netns exec "$ns" keepalived -C -n -l -f "$conf" -p "$dir/k.pid" -c "$dir/c.pid" >"$dir/daemon.log" 2>&1 &
else
  ip netns exec "$ns" "$launcher" run -C --ipvs-dry-run --no-metrics -f "$conf" -p "$dir/j.pid" \
    >"$dir/daemon.log" 2>&1 &
fi
daemon=$!
p0=$(passive)
# pids of the daemon's processes (keepalived: parent + checker child)
pids() { echo "$daemon $(ps -o pid= --ppid "$daemon" | tr '\n' ' ')"; }
sum_ticks() { # user + sys; user alone in $dir/user
  local u=0 s=0 p x; for p in $(pids); do [ -d "/proc/$p" ] && { x=$(ticks "$p"); u=$(( u + ${x% *} )); s=$(( s + ${x#* } )); }
  done; echo $u > "$dir/user"; echo $(( u + s )); }
sleep_until() { local d; d=$(awk -v t0="$t_start" -v s="$1" '{d = t0 + s - $1; print (d > 0 ? d : 0)}' /proc/uptime)
  sleep "$d"; }
sleep_until 60
c60=$(sum_ticks); p60=$(passive)
first_cpu=$(awk -v c="$c60" -v hz="$hz" 'BEGIN {printf "%.2f", c / hz}')
first_checks=$(( p60 - p0 ))
[ "$warm" -gt 60 ] && sleep_until "$warm"
c1=$(sum_ticks); u1=$(cat "$dir/user"); pa=$(passive); ta=$(uptime_s)
if [ -n "$jfr" ] && [ -z "$keepalived" ]; then
  jcmd "$daemon" JFR.start settings=profile duration="${win}s" filename="$jfr" >/dev/null
fi
sleep "$win"
c2=$(sum_ticks); u2=$(cat "$dir/user"); pb=$(passive); tb=$(uptime_s)
pss=0 rss=0 thr=0
for p in $(pids); do
  pss=$(( pss + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup") ))
  rss=$(( rss + $(awk '/^VmRSS:/ {print $2}' "/proc/$p/status") ))
  thr=$(( thr + $(awk '/^Threads:/ {print $2}' "/proc/$p/status") ))
done
[ -n "$jfr" ] && sleep 3
checks=$(( pb - pa ))
who=javalived; [ -n "$keepalived" ] && who=keepalived
awk -v who="$who" -v type="$type" -v n="$n" -v c="$(( c2 - c1 ))" -v u="$(( u2 - u1 ))" -v hz="$hz" -v k="$checks" -v t="$(awk -v a="$ta" \
  -v b="$tb" 'BEGIN {print b - a}')" -v fc="$first_cpu" -v fk="$first_checks" -v pss="$pss" -v rss="$rss" \
  -v thr="$thr" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" -v opts="${JAVALIVED_JAVA_OPTS:-launcher default}" \
  'BEGIN {printf "%s %s N=%d: steady %.3f CPU-s per 1,000 checks (user %.3f; %d checks in %.0f s, %.1f/s, %.2f CPU-s); " \
    "first minute %s CPU-s (%d checks); PSS %.1f MB RSS %.1f MB threads %d; load %s; JVM options: %s\n", \
    who, type, n, k ? c / hz / k * 1000 : 0, k ? u / hz / k * 1000 : 0, k, t, k / t, c / hz, fc, fk, pss / 1024, rss / 1024, thr, load, opts}'
if [ "$(grep -cE 'failed|timeout' "$dir/daemon.log")" -gt 0 ]; then
  echo "failure lines in the daemon's log: $(grep -cE 'failed|timeout' "$dir/daemon.log") (first: $(grep -m1 -E \
    'failed|timeout' "$dir/daemon.log"))"
fi
