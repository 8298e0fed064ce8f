package io.javalived.config.model;

import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;

/**
 * An entry of virtual_routes / static_routes, resolved as keepalived 2.2.7's vrrp_iproute.c reads it, in the kernel's
 * numbers: {@code [inet|inet6] [src ADDR] [from ADDR/LEN] [to] [TYPE] DEST/LEN [via|gw [inet|inet6] ADDR]
 * [dev|oif IF] [onlink] [scope S] [table T] [metric|priority|preference N] [protocol P] [tos|dsfield T]
 * [mtu|advmss|hoplimit|window|cwnd|ssthresh|reordering|initcwnd|initrwnd [lock] N] [features ecn] [quickack 0|1]
 * [congctl [lock] NAME] [fastopen_no_cookie 0|1] [pref low|medium|high] [add|prepend|append] [no_track]}.
 *
 * @param type         RTN_* route type when given (blackhole 6, unreachable 7, prohibit 8, ...), 0 when not
 * @param scope        RT_SCOPE_* when given
 * @param table        routing table number (main 254 by default)
 * @param protocol     RTPROT_* sent (keepalived: 18 unless no_track with another protocol)
 * @param metrics      RTAX_* attribute → value (RTAX_LOCK = 1 holds the lock bits)
 * @param mode         "prepend" (keepalived's default), "add" (NLM_F_EXCL) or "append"
 * @param text         the entry as written
 */
public record VirtualRoute(
        boolean ipv6,
        int type,
        InetAddress destination,
        int prefixLength,
        Optional<InetAddress> via,
        Optional<InetAddress> src,
        Optional<InetAddress> from,
        int fromLength,
        Optional<String> dev,
        Optional<Integer> scope,
        long table,
        Optional<Long> metric,
        int protocol,
        Optional<Integer> tos,
        boolean onlink,
        Optional<Integer> pref,
        Map<Integer, Long> metrics,
        Optional<String> congctl,
        String mode,
        boolean noTrack,
        String text) {

    public VirtualRoute {
        metrics = Map.copyOf(metrics);
    }
}
