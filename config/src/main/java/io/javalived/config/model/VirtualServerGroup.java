package io.javalived.config.model;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/** {@code virtual_server_group NAME { ADDR[-END|/LEN] [PORT] ... ; fwmark N [inet|inet6] ... }}. */
public record VirtualServerGroup(String name, List<Entry> entries, Origin origin) {
    public VirtualServerGroup {
        entries = List.copyOf(entries);
    }

    /**
     * One entry. An address range is {@code address..rangeEnd} inclusive (rangeEnd == address for a single
     * address); port 0 when not given; for a fwmark entry address/rangeEnd are empty and fwmark &gt; 0.
     */
    public record Entry(Optional<InetAddress> address, Optional<InetAddress> rangeEnd, int port, int fwmark,
                        Optional<VirtualServer.IpFamily> family) {
        public boolean isFwmark() {
            return fwmark > 0;
        }
    }
}
