package io.javalived.config.model;

import java.net.InetAddress;
import java.util.Optional;

/**
 * An entry of virtual_routes: {@code [src ADDR] [to] DEST/LEN [via|gw ADDR] [dev IF] [scope S] [table T]
 * [metric N] [blackhole|unreachable|prohibit ...] [no_track]}. {@code text} is the entry as written.
 */
public record VirtualRoute(
        String type,
        InetAddress destination,
        int prefixLength,
        Optional<InetAddress> via,
        Optional<InetAddress> src,
        Optional<String> dev,
        Optional<String> scope,
        Optional<String> table,
        Optional<Integer> metric,
        boolean noTrack,
        String text) {}
