package io.javalived.director;

import io.javalived.config.model.GlobalDefs;
import io.javalived.ipvs.IpvsTimeouts;
import io.javalived.netlink.NetlinkException;
import java.time.Duration;
import java.util.Optional;

/**
 * lvs_timeouts as keepalived 2.2.7 applies them (check_daemon.c, libipvs.c): before the first change the kernel's
 * timeouts are read and kept as the originals; at start and at every reload the configured values are set, each one
 * not given being set to its original; a reload without lvs_timeouts, and the stop, set the originals back (only
 * when javalived changed them). Pure but for the two kernel calls it is given.
 */
final class LvsTimeouts {
    /** The kernel's connection timeouts (IPVS_CMD_GET_CONFIG / IPVS_CMD_SET_CONFIG). */
    interface Kernel {
        IpvsTimeouts timeouts() throws NetlinkException;

        void setTimeouts(IpvsTimeouts t) throws NetlinkException;
    }

    private IpvsTimeouts original;

    /** The kernel's values before javalived changed them, or null while it has not changed them. */
    IpvsTimeouts original() {
        return original;
    }

    /** At start and reload: returns what was set, or null when nothing was. */
    IpvsTimeouts apply(GlobalDefs.LvsTimeouts cfg, Kernel kernel) throws NetlinkException {
        if (cfg == null || (cfg.tcp().isEmpty() && cfg.tcpFin().isEmpty() && cfg.udp().isEmpty())) {
            return restore(kernel);
        }
        if (original == null) {
            original = kernel.timeouts();
        }
        IpvsTimeouts t = new IpvsTimeouts(secs(cfg.tcp(), original.tcp()), secs(cfg.tcpFin(), original.tcpFin()),
                secs(cfg.udp(), original.udp()));
        kernel.setTimeouts(t);
        return t;
    }

    /** At stop (and a reload without lvs_timeouts): the originals back, if javalived changed them. */
    IpvsTimeouts restore(Kernel kernel) throws NetlinkException {
        if (original == null) {
            return null;
        }
        kernel.setTimeouts(original);
        return original;
    }

    /** A configured 0 is "not set", as keepalived reads it. */
    private static long secs(Optional<Duration> d, long orig) {
        return d.map(Duration::getSeconds).filter(s -> s > 0).orElse(orig);
    }
}
