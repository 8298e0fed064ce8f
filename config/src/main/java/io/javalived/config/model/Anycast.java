package io.javalived.config.model;

import java.time.Duration;

/**
 * javalived extension: {@code anycast { ... }} inside a {@code virtual_server} (keepalived 2.2.7 rejects the block).
 * The virtual server's address is put on the dummy interface {@code interface} (created if missing, no VRRP), and a
 * host route for it (/32, /128) is kept in kernel routing table {@code table} while the virtual server has quorum, for
 * a routing daemon (BIRD, FRR) to announce. The route is withdrawn when quorum has been lost for {@code holdDown},
 * announced again only after quorum has been up for {@code minUp}, withdrawn when the daemon stops, and removed by
 * the kernel if the daemon dies (it goes through an interface the daemon holds open).
 *
 * @param interfaceName the dummy interface for the address (default {@code anycast0})
 * @param table         kernel routing table of the announcement routes (default 100)
 * @param metric        the routes' metric (priority), for the routing daemon's filters (default 0)
 * @param minUp         quorum must have been up this long before the route is (re)announced (default 3 s)
 * @param holdDown      quorum must have been lost this long before the route is withdrawn (default 1 s)
 */
public record Anycast(String interfaceName, int table, long metric, Duration minUp, Duration holdDown) {
    public static final String DEFAULT_INTERFACE = "anycast0";
    public static final int DEFAULT_TABLE = 100;
    public static final Duration DEFAULT_MIN_UP = Duration.ofSeconds(3);
    public static final Duration DEFAULT_HOLD_DOWN = Duration.ofSeconds(1);
}
