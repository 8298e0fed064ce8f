#!/usr/bin/env bash
# Benchmark (not part of ./run-tests): health-check CPU and memory of keepalived -C (A) and javalived run -C (B) side
# by side, in ONE boot of the IPVS VM (../shared/ipvs-vm/run-in-vm; keepalived's checker exits without IPVS, and
# this host has none). As root, from anywhere; the build must exist (mvn -B -o -q -pl cli -am package -DskipTests).
#
# In the guest (integration-tests/bench/checker-vm-guest.sh): a namespace "rs" behind a veth holds the real servers
# (10.88.0.0/16 routed locally there, one listener on port 80: bench/checker-vm-listener.py, accept + close for tcp,
# "200 OK" for http). For each --type, one keepalived.conf: virtual_server 10.99.0.100 80, lb_kind NAT, N real
# servers, delay_loop 1, TCP_CHECK or HTTP_GET (url { path / status_code 200 }), which `keepalived -t` must accept.
# The daemons of --order run one after the other (A B A B: the machine's load drifts; alternating spreads it) and
# are sampled at fixed offsets after their launch: CPU ticks of all their processes and threads (the JIT compiler
# threads apart), checks = TcpPassiveOpens of the real servers' namespace, PSS/RSS/threads. The host half stamps
# each sample with its load average and the host cores busy outside the VM.
#
# Prints per run and side by side: CPU-s per 1,000 checks (user, sys, total) in the steady state (keepalived
# WARM_A..WARM_A+WIN s, javalived STEADY_B..STEADY_B+WIN s after launch: the JIT under emulation takes minutes to
# settle; the JIT column shows whether it has) and in the first minute (0-60 s after launch: start-up and JIT
# included, what a restart or failover costs), the ratio javalived/keepalived, PSS/RSS and threads. The guest is
# emulated (TCG, ~30x slower than the host, the JIT even more): only ratios within one boot mean anything.
#
# usage: integration-tests/bench-checker-vm.sh [--type tcp|http|both (both)] [--n N (200)] [--order "A B A B"]
#          [--steady-b S (180)] [--win S (60)] [--warm-a S (20)] [--cpus C (1)] [--out DIR]
#          [--variant LABEL=JVM-OPTIONS]...
#   B runs javalived with the launcher's daemon JVM options, or JAVALIVED_JAVA_OPTS if set (passed through).
#   --variant LABEL=OPTS defines B:LABEL, javalived with JAVALIVED_JAVA_OPTS=OPTS; without --order the order is
#   then the variants alone (e.g. --variant c1='... -XX:TieredStopAtLevel=1' --variant cds='...' for JVM candidates).
#   --out: results directory (default target/checker-vm-bench/DATE-TIME of the project): run.log (everything the
#   guest printed, with the host's stamps), report.txt (the tables), the configurations and each daemon's log.
#   RUN_IN_VM: the VM runner (default ../shared/ipvs-vm/run-in-vm beside the project's checkout).
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
types="tcp http" n=200 order= steady_b=180 win=60 warm_a=20 cpus=1 out= variants=()
while [ $# -gt 0 ]; do
  case $1 in
    --type) case ${2:?} in tcp|http) types=$2 ;; both) types="tcp http" ;;
              *) echo "bench-checker-vm.sh: --type tcp, http or both, not '$2'" >&2; exit 2 ;; esac; shift 2 ;;
    --n) n=${2:?}; shift 2 ;;
    --order) order=${2:?}; shift 2 ;;
    --steady-b) steady_b=${2:?}; shift 2 ;;
    --win) win=${2:?}; shift 2 ;;
    --warm-a) warm_a=${2:?}; shift 2 ;;
    --cpus) cpus=${2:?}; shift 2 ;;
    --out) out=$(readlink -m "${2:?}"); shift 2 ;;
    --variant) variants+=("${2:?}"); shift 2 ;;
    -h|--help) sed -n '2,/^set /{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-checker-vm.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "bench-checker-vm.sh: run it as root (the VM runner needs it)" >&2; exit 1; }
vm=${RUN_IN_VM:-$(readlink -m "$repo/../shared/ipvs-vm/run-in-vm")}
[ -x "$vm" ] || { echo "bench-checker-vm.sh: no VM runner at $vm - set RUN_IN_VM" >&2; exit 1; }
[ -f "$repo/cli/target/javalived.jar" ] || { echo "bench-checker-vm.sh: no $repo/cli/target/javalived.jar - build it:" \
  "mvn -B -o -q -pl cli -am package -DskipTests" >&2; exit 1; }
[[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le 60000 ] || { echo "bench-checker-vm.sh: --n 1..60000" >&2; exit 2; }
out=${out:-$repo/target/checker-vm-bench/$(date +%Y%m%d-%H%M%S)}
case $out in "$repo"/*) ;; *) echo "bench-checker-vm.sh: --out must be inside $repo (the guest writes there)" >&2; exit 2 ;; esac
mkdir -p "$out"

# the plan the guest sources
plan=$out/plan.sh
vorder=
{
  printf 'N=%q\nTYPES=%q\nWARM_A=%q\nWIN_A=%q\nSTEADY_B=%q\nOUT=%q\n' "$n" "$types" "$warm_a" "$win" "$steady_b" "$out"
  for v in "${variants[@]}"; do
    label=${v%%=*}
    [[ $label =~ ^[A-Za-z0-9_]+$ ]] && [ "$label" != "$v" ] || {
      echo "bench-checker-vm.sh: --variant LABEL=OPTIONS (LABEL: letters, digits, _), not '$v'" >&2; exit 2; }
    printf 'JOPTS_%s=%q\n' "$label" "${v#*=}"
    vorder+="B:$label "
  done
} >"$plan"
order=${order:-${vorder:-A B A B}}
for k in $order; do
  case $k in A|B) ;; B:*) grep -q "^JOPTS_${k#B:}=" "$plan" || { echo "bench-checker-vm.sh: $k: no --variant ${k#B:}=..." >&2; exit 2; } ;;
    *) echo "bench-checker-vm.sh: --order takes A, B and B:LABEL, not '$k'" >&2; exit 2 ;; esac
done
slices() { local s=0 l=; while [ "$s" -le "$1" ]; do l+="$s "; s=$((s + 20)); done; echo "$l"; } # every 20 s
slices_a=$(slices $((warm_a + win))) slices_b=$(slices $((steady_b + win)))
for x in "$warm_a" "$((warm_a + win))"; do [[ " $slices_a " == *" $x "* ]] || slices_a+="$x "; done
for x in 60 "$steady_b" "$((steady_b + win))"; do [[ " $slices_b " == *" $x "* ]] || slices_b+="$x "; done
slices_a=$(tr ' ' '\n' <<<"$slices_a 60" | grep . | sort -n -u | tr '\n' ' ')
slices_b=$(tr ' ' '\n' <<<"$slices_b" | grep . | sort -n -u | tr '\n' ' ')
printf 'ORDER=%q\nSLICES_A=%q\nSLICES_B=%q\n' "$order" "$slices_a" "$slices_b" >>"$plan"

# time bound: per type, the runs, their stops (<= 60 s each) and the lab; plus the boot
secs=0
for k in $order; do if [ "$k" = A ]; then secs=$((secs + warm_a + win + 70)); else secs=$((secs + steady_b + win + 70)); fi; done
timeout=$(( (secs + 120) * $(wc -w <<<"$types") + 300 ))
echo "bench-checker-vm.sh: types '$types', N=$n, order '$order', up to $((timeout / 60)) min; results in $out" >&2
echo "bench-checker-vm.sh: host $(uptime)" | tee "$out/host.txt" >&2
cd "$repo"
set +e
PLAN=$plan "$vm" --cpus "$cpus" --timeout "$timeout" -- bash integration-tests/bench/checker-vm-guest.sh 2>&1 \
  | python3 integration-tests/bench/checker-vm-report.py mark $$ >"$out/run.log"
rc=${PIPESTATUS[0]}
set -e
echo "bench-checker-vm.sh: host $(uptime)" | tee -a "$out/host.txt" >&2
python3 integration-tests/bench/checker-vm-report.py report "$out/run.log" "$steady_b" "$win" "$warm_a" | tee "$out/report.txt"
[ "$rc" = 0 ] || { echo "bench-checker-vm.sh: the VM run exited $rc (see $out/run.log)" >&2; exit "$rc"; }
