package io.javalived.config.model;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * An entry of virtual_rules / static_rules, resolved as keepalived 2.2.7's vrrp_iprule.c reads it: {@code [inet|inet6]
 * [not] [from ADDR/LEN|all] [to ADDR/LEN|all] [tos|dsfield T] [fwmark M[/MASK]] [dev|iif IF] [oif IF]
 * [preference|priority|order N] [protocol P] [ipproto P] [sport A[-B]] [dport A[-B]] [uidrange A-B]
 * [suppress_prefixlength N] [l3mdev] ACTION [no_track]} with ACTION one of {@code table|lookup T}, {@code goto N},
 * {@code nop}, {@code blackhole}, {@code unreachable}, {@code prohibit} (optionally after {@code type}).
 *
 * @param action   FR_ACT_* (to table 1, goto 2, nop 3, blackhole 6, unreachable 7, prohibit 8)
 * @param table    table number for a table action (0: main)
 * @param priority the rule's preference (keepalived gives 16384 downwards when none is written)
 * @param protocol FRA_PROTOCOL sent (18 unless no_track), 0 = none
 * @param sport    [start, end] or empty; {@code dport} and {@code uidRange} likewise
 * @param text     the entry as written
 */
public record VirtualRule(
        boolean ipv6,
        int action,
        Optional<InetAddress> from,
        int fromLength,
        Optional<InetAddress> to,
        int toLength,
        Optional<Integer> tos,
        long table,
        long priority,
        Optional<Long> fwmark,
        Optional<Long> fwmask,
        Optional<String> iif,
        Optional<String> oif,
        boolean invert,
        long gotoTarget,
        int protocol,
        Optional<Long> suppressPrefixLength,
        Optional<Integer> ipProto,
        List<Integer> sport,
        List<Integer> dport,
        List<Long> uidRange,
        boolean l3mdev,
        boolean noTrack,
        String text) {

    public VirtualRule {
        sport = List.copyOf(sport);
        dport = List.copyOf(dport);
        uidRange = List.copyOf(uidRange);
    }
}
