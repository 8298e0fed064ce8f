#!/usr/bin/env bash
# Guest half of integration-tests/bench-checker-vm.sh (read that script's header): runs as root inside the IPVS VM,
# in the project's root, with the plan file the host half wrote (PLAN=FILE: variables N, TYPES, ORDER, WARM_A, WIN_A,
# SLICES_A, SLICES_B, STEADY_B, OUT, JOPTS_<label>). For each check type it builds the real servers, then runs the
# daemons of ORDER one after the other, and prints one SNAP line per time slice of each run on stdout (also kept in
# OUT/guest.log): the daemon's CPU ticks (user, sys; JIT compiler threads apart), the checks the real servers saw
# (TcpPassiveOpens of their namespace), memory and threads. "MARK" lines ask the host half to stamp its load.
set -u
: "${PLAN:?PLAN=plan file}"
# shellcheck disable=SC1090
. "$PLAN"
root=$PWD
here=$(cd "$(dirname "$0")" && pwd)
lab=/tmp/checker-vm-bench
mkdir -p "$lab" "$OUT"
log() { echo "$*" | tee -a "$OUT/guest.log"; }
now() { cut -d' ' -f1 /proc/uptime; }
hz=$(getconf CLK_TCK)

log "# guest: kernel $(uname -r), $(nproc) CPU, $(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo) MB, HZ $hz"
log "# $(keepalived --version 2>&1 | head -n 1); $(java -version 2>&1 | head -n 1); jar $(stat -c '%s bytes, %y' "$root/cli/target/javalived.jar")"
log "# N=$N types=$TYPES order=$ORDER A: slices $SLICES_A (steady $WARM_A-$((WARM_A + WIN_A)) s); B: slices $SLICES_B (steady $STEADY_B-$((STEADY_B + WIN_A)) s)"
log "# javalived JVM options (plain B): ${JAVALIVED_JAVA_OPTS:-launcher default}"

# ---- the real servers: namespace rs, reached over a veth; 10.88.0.0/16 is local there (one route, not N addresses)
sysctl -qw net.ipv4.ip_local_port_range="10000 65000" net.ipv4.tcp_tw_reuse=1
ip netns add rs
ip -n rs link set lo up
ip link add rsveth type veth peer name eth0 netns rs
ip addr add 10.87.0.1/30 dev rsveth
ip link set rsveth up
ip -n rs addr add 10.87.0.2/30 dev eth0
ip -n rs link set eth0 up
ip -n rs route add local 10.88.0.0/16 dev lo
ip route add 10.88.0.0/16 via 10.87.0.2
ip netns exec rs sysctl -qw net.core.somaxconn=4096 net.ipv4.tcp_max_syn_backlog=4096
rs_addr() { echo "10.88.$(($1 / 250)).$(($1 % 250 + 2))"; }

config() { # config TYPE: keepalived.conf with N real servers, one keyword per line
  local type=$1 i
  echo "global_defs {"
  echo "  router_id checkervmbench"
  echo "}"
  echo "virtual_server 10.99.0.100 80 {"
  echo "  delay_loop 1"
  echo "  lb_algo rr"
  echo "  lb_kind NAT"
  echo "  protocol TCP"
  for ((i = 0; i < N; i++)); do
    echo "  real_server $(rs_addr "$i") 80 {"
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
}

daemon_pids() { # the launched pid and its children (keepalived: parent + checker child; javalived: the JVM alone)
  echo "$1" $(pgrep -P "$1")
}

snap() { # snap RUN OFFSET PID...: one SNAP line (one awk pass over /proc)
  local run=$1 off=$2 files p
  shift 2
  echo "MARK $run.$off"
  files="/proc/uptime /proc/stat /proc/$listener/net/snmp"
  for p in "$@"; do
    [ -d "/proc/$p" ] && files="$files /proc/$p/stat /proc/$p/status /proc/$p/smaps_rollup $(echo /proc/"$p"/task/*/stat)"
  done
  # grep -H: "FILE:LINE" for every line; a thread that exits between the glob and the read only drops its file
  # shellcheck disable=SC2086  # a list of files
  grep -H '' $files 2>/dev/null | awk -v run="$run" -v off="$off" '
    function statf(line,   j) { j = index(line, ") "); name = substr(line, index(line, "(") + 1, j - index(line, "(") - 1)
      return split(substr(line, j + 2), F, " ") }
    { c = index($0, ":"); file = substr($0, 1, c - 1); line = substr($0, c + 1); split(line, W, " ") }
    file == "/proc/uptime" { t = W[1]; next }
    file == "/proc/stat" { if (W[1] == "cpu") { busy = W[2] + W[3] + W[4] + W[7] + W[8]; idle = W[5] + W[6] } next }
    file ~ /net\/snmp$/ { if (W[1] == "Tcp:") { nw = split(line, W, " "); if (!hdr) { for (i = 2; i <= nw; i++) col[i] = W[i]; hdr = 1 }
                           else for (i = 2; i <= nw; i++) if (col[i] == "PassiveOpens") pas = W[i] } next }
    file ~ /\/task\/[0-9]+\/stat$/ { statf(line); if (name ~ /^C[12] CompilerThre/) { ju += F[12]; js += F[13] } next }
    file ~ /\/stat$/ { statf(line); u += F[12]; s += F[13]; nproc++; next }
    file ~ /\/status$/ { if (W[1] == "VmRSS:") rss += W[2]; else if (W[1] == "Threads:") thr += W[2]; next }
    file ~ /smaps_rollup$/ { if (W[1] == "Pss:") pss += W[2]; next }
    END { printf "SNAP %s %s t=%s user=%d sys=%d jit_user=%d jit_sys=%d checks=%s rss_kb=%d pss_kb=%d threads=%d procs=%d guest_busy=%d guest_idle=%d\n",
            run, off, t, u, s, ju, js, pas, rss, pss, thr, nproc, busy, idle }' | tee -a "$OUT/guest.log"
}

run_one() { # run_one TYPE KIND ROUND: KIND is A (keepalived) or B / B:label (javalived)
  local type=$1 kind=$2 round=$3 run pid t0 s d slices dlog opts label
  ipvsadm -C
  label=${kind#B:}
  run=$type.$kind.$round
  run=${run//:/-}
  dlog=$OUT/$run.log
  if [ "$kind" = A ]; then
    slices=$SLICES_A
    t0=$(now)
    keepalived -C -n -l -f "$lab/$type.conf" -p "$lab/k.pid" -c "$lab/c.pid" >"$dlog" 2>&1 &
    pid=$!
  else
    slices=$SLICES_B
    if [ "$kind" = B ]; then
      opts=${JAVALIVED_JAVA_OPTS:-}
      log "# $run JVM options: ${opts:-launcher default}"
      t0=$(now)
      "$root/javalived" run -C -f "$lab/$type.conf" -p "$lab/j.pid" --no-metrics >"$dlog" 2>&1 &
    else
      opts=JOPTS_$label
      opts=${!opts:?no JVM options for variant $label}
      log "# $run JVM options: $opts"
      t0=$(now)
      JAVALIVED_JAVA_OPTS=$opts "$root/javalived" run -C -f "$lab/$type.conf" -p "$lab/j.pid" --no-metrics >"$dlog" 2>&1 &
    fi
    pid=$!
  fi
  log "# $run started (pid $pid) at t=$t0"
  for s in $slices; do
    d=$(awk -v t0="$t0" -v s="$s" '{d = t0 + s - $1; print (d > 0 ? d : 0)}' /proc/uptime)
    sleep "$d"
    # shellcheck disable=SC2046  # pid list
    snap "$run" "$s" $(daemon_pids "$pid")
  done
  log "# $run end: alive=$(kill -0 "$pid" 2>/dev/null && echo yes || echo no) ipvs_dests=$(ipvsadm -Ln | grep -c -- '-> 10\.88\.') failed_or_timeout_lines=$(grep -ciE 'failed|timeout' "$dlog")"
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then log "# $run did not stop in 60 s: SIGKILL"; kill -KILL "$pid"; fi
  wait "$pid" 2>/dev/null
  log "# $run stopped at t=$(now)"
  sleep 3
}

for type in $TYPES; do
  config "$type" >"$lab/$type.conf"
  cp "$lab/$type.conf" "$OUT/$type.conf"
  if ! keepalived -t -f "$lab/$type.conf" >"$OUT/$type.keepalived-t.log" 2>&1; then
    log "# keepalived -t rejects $type.conf (exit $?): $(tail -n 3 "$OUT/$type.keepalived-t.log")"
    exit 1
  fi
  ip netns exec rs python3 -u "$here/checker-vm-listener.py" "$type" 80 >"$OUT/listener.$type.log" 2>&1 &
  listener=$!
  for _ in $(seq 200); do grep -q listening "$OUT/listener.$type.log" 2>/dev/null && break; sleep 0.1; done
  log "# $type: keepalived -t accepts the configuration; listener pid $listener; a probe: $(
    if [ "$type" = http ]; then
      timeout 5 bash -c 'exec 3<>/dev/tcp/'"$(rs_addr $((N - 1)))"'/80; printf "GET / HTTP/1.0\r\n\r\n" >&3; head -n 1 <&3'
    else
      timeout 5 bash -c 'exec 3<>/dev/tcp/'"$(rs_addr $((N - 1)))"'/80' && echo connected
    fi)"
  snap "$type.idle" 0
  sleep 10
  snap "$type.idle" 10
  i=0
  for kind in $ORDER; do
    i=$((i + 1))
    run_one "$type" "$kind" "$i"
  done
  kill "$listener"
  wait "$listener" 2>/dev/null
done
log "# guest done at t=$(now)"
