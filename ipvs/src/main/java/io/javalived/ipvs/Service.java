package io.javalived.ipvs;

import java.util.Objects;

/**
 * A virtual service's configuration as the kernel holds it.
 *
 * @param key       protocol/address/port or fwmark
 * @param scheduler "wlc", "rr", "mh"...
 * @param flags     {@link Ipvs#SVC_F_PERSISTENT}, ONEPACKET, SCHED1..3 (HASHED is the kernel's own and dropped)
 * @param timeout   persistence timeout in seconds (meaningful when persistent)
 * @param netmask   persistence granularity: for IPv4 the mask as a 32-bit value (0xffffffffL = per client), for IPv6
 *                  the prefix length (128 = per client)
 * @param peName    persistence engine ("sip") or null
 */
public record Service(ServiceKey key, String scheduler, int flags, long timeout, long netmask, String peName) {
    public Service {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(scheduler, "scheduler");
        flags &= ~Ipvs.SVC_F_HASHED;
        if (peName != null && peName.isEmpty()) {
            peName = null;
        }
    }

    /** A non-persistent service with the per-client default netmask. */
    public static Service of(ServiceKey key, String scheduler) {
        return new Service(key, scheduler, 0, 0, defaultNetmask(key.af()), null);
    }

    public static long defaultNetmask(int af) {
        return af == Ipvs.AF_INET6 ? 128 : 0xffffffffL;
    }

    public boolean persistent() {
        return (flags & Ipvs.SVC_F_PERSISTENT) != 0;
    }

    public Service withPersistence(long timeoutSeconds, long mask) {
        return new Service(key, scheduler, flags | Ipvs.SVC_F_PERSISTENT, timeoutSeconds, mask, peName);
    }

    public Service withFlags(int newFlags) {
        return new Service(key, scheduler, newFlags, timeout, netmask, peName);
    }

    public Service withScheduler(String s) {
        return new Service(key, s, flags, timeout, netmask, peName);
    }

    public Service withPeName(String pe) {
        return new Service(key, scheduler, flags, timeout, netmask, pe);
    }

    /**
     * Whether the kernel's service already matches this configuration: scheduler, flags and persistence engine; the
     * timeout and netmask only count when persistent (the kernel keeps but ignores them otherwise).
     */
    public boolean sameSettings(Service other) {
        if (!scheduler.equals(other.scheduler) || flags != other.flags || !Objects.equals(peName, other.peName)) {
            return false;
        }
        return !persistent() || (timeout == other.timeout && netmask == other.netmask);
    }
}
