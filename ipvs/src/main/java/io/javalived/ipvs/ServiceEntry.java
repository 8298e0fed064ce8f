package io.javalived.ipvs;

/**
 * A service as read from the kernel: configuration plus counters.
 *
 * @param stats   the counters, from IPVS_SVC_ATTR_STATS64 when the kernel sends it (it does since 4.x), else the
 *                32-bit IPVS_SVC_ATTR_STATS
 * @param stats32 the 32-bit counters as sent (IPVS_SVC_ATTR_STATS; they wrap)
 */
public record ServiceEntry(Service service, IpvsStats stats, IpvsStats stats32) {
    public ServiceEntry(Service service, IpvsStats stats) {
        this(service, stats, stats);
    }

    public ServiceKey key() {
        return service.key();
    }
}
