#!/bin/bash
# How the checker log phrases were verified: Debian keepalived 2.2.7 checking failing real servers in the IPVS VM.
# Run: /work/shared/ipvs-vm/run-in-vm --timeout 150 -- THIS_SCRIPT  (prints keepalived's checker lines)
# keepalived 2.2.7's checker log lines for failures (run inside the IPVS VM)
set -u
W=$(mktemp -d)
ip link add lvs0 type dummy && ip addr add 10.10.0.100/32 dev lvs0 && ip link set lvs0 up
ns=ns1; ip netns add $ns; ip -n $ns link set lo up
ip link add veth1 type veth peer name eth0 netns $ns
ip addr add 10.10.1.1/24 dev veth1 && ip link set veth1 up
ip -n $ns addr add 10.10.1.2/24 dev eth0 && ip -n $ns link set eth0 up
mkdir -p $W/www && echo hello > $W/www/index.html
ip netns exec ns1 /usr/bin/python3 -m http.server 80 --bind 10.10.1.2 --directory $W/www >/dev/null 2>&1 &
sleep 2
cat >$W/k.conf <<CONF
global_defs { router_id x }
virtual_server 10.10.0.100 80 {
  delay_loop 2
  lb_algo rr
  lb_kind NAT
  protocol TCP
  real_server 10.10.1.2 80 {
    HTTP_GET { url { path /missing status_code 200 } connect_timeout 1 retry 1 delay_before_retry 1 log_all_failures }
  }
  real_server 10.10.1.2 81 {
    TCP_CHECK { connect_timeout 1 retry 1 delay_before_retry 1 log_all_failures }
  }
  real_server 10.10.1.2 82 {
    HTTP_GET { url { path / digest 00000000000000000000000000000000 } connect_timeout 1 retry 0 log_all_failures }
  }
}
virtual_server 10.10.0.100 8080 {
  delay_loop 2
  lb_algo rr
  lb_kind NAT
  protocol TCP
  real_server 10.10.1.2 80 {
    HTTP_GET { url { path / digest 00000000000000000000000000000000 } connect_timeout 1 retry 0 log_all_failures }
  }
  real_server 10.10.1.2 80 {
    SSL_GET { url { path / } connect_timeout 1 retry 0 log_all_failures }
  }
  real_server 10.10.1.3 80 {
    MISC_CHECK { misc_path "/bin/sh -c 'exit 1'" retry 0 log_all_failures }
  }
  real_server 10.10.1.4 80 {
    MISC_CHECK { misc_path "/bin/sleep 10" misc_timeout 1 retry 0 log_all_failures }
  }
  real_server 10.10.1.2 83 {
    SMTP_CHECK { connect_timeout 1 retry 0 log_all_failures }
  }
  real_server 10.10.1.2 84 {
    DNS_CHECK { connect_timeout 1 retry 0 log_all_failures }
  }
  real_server 10.10.1.2 85 {
    UDP_CHECK { connect_timeout 1 retry 0 log_all_failures require_reply }
  }
  real_server 10.10.1.9 86 {
    PING_CHECK { connect_timeout 1 retry 0 log_all_failures }
  }
}
CONF
timeout 12 keepalived --check --dont-fork --log-console --use-file $W/k.conf --pid $W/k.pid --checkers_pid $W/c.pid >$W/k.log 2>&1
cut -d: -f4- $W/k.log | grep -vE "Activating|Shutting|Removing|Opening|Running on|Command line|Registering|Initializing|NOTICE|SECURITY|Starting|Stopped|Stopping|Gained|^ +'" | sort | uniq -c | head -60
