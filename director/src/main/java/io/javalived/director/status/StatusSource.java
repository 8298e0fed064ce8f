package io.javalived.director.status;

import io.javalived.ipvs.IpvsTable;
import io.javalived.netlink.NetlinkException;

/** The running daemon's state, as the status socket and the metrics endpoint read it. Any thread. */
public interface StatusSource {
    /** A snapshot of the instances, virtual servers and real servers. */
    DaemonStatus status();

    /**
     * The IPVS table with counters: the kernel's whole table (every service, also those javalived does not own), or
     * the in-memory one under --ipvs-dry-run; null when IPVS is off.
     *
     * @throws NetlinkException when the kernel cannot be read
     */
    IpvsTable ipvsTable() throws NetlinkException;

    /**
     * The director's operator controls (drain, enable, disable, weight), or null when this daemon runs no virtual
     * servers (--vrrp-only, none configured).
     */
    default io.javalived.director.OperatorControl control() {
        return null;
    }
}
