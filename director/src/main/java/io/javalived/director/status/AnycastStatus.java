package io.javalived.director.status;

import java.time.Instant;

/**
 * One anycast virtual server's announcement now.
 *
 * @param prefix    the announced prefix, e.g. {@code 192.0.2.100/32}
 * @param table     the kernel routing table of the route
 * @param iface     the dummy interface that holds the address
 * @param announced whether the route is in the table
 * @param since     when it was last announced or withdrawn (null: never)
 */
public record AnycastStatus(String prefix, int table, String iface, boolean announced, Instant since) {}
