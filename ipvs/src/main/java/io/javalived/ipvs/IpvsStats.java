package io.javalived.ipvs;

/** Counters and rates of a service or destination (64-bit when the kernel sends IPVS_*_ATTR_STATS64). */
public record IpvsStats(long conns, long inPackets, long outPackets, long inBytes, long outBytes, long cps,
                        long inPps, long outPps, long inBps, long outBps) {
    public static final IpvsStats ZERO = new IpvsStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
