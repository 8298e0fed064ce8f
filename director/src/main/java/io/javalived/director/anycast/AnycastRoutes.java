package io.javalived.director.anycast;

import io.javalived.config.model.Anycast;
import io.javalived.config.model.VirtualServer;
import io.javalived.inet.InetText;
import io.javalived.inet.VirtualServerKey;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import io.javalived.director.status.AnycastStatus;

/**
 * The anycast virtual servers of a configuration and their routes: the address goes on its dummy interface at once,
 * the host route follows {@link AnycastAnnouncer}'s decisions. Called from one thread (the director's); the kernel
 * work is behind {@link Kernel}. A failed route change is retried at the next {@link #apply}.
 */
public final class AnycastRoutes {
    private static final Logger LOG = System.getLogger("io.javalived.director");

    /** The kernel side: addresses on dummy interfaces and host routes in a table. */
    public interface Kernel extends AutoCloseable {
        /** Puts {@code address} (host prefix) on dummy interface {@code iface}, creating and setting it up as needed. */
        void addAddress(String iface, InetAddress address) throws Exception;

        /** Adds or replaces the host route of {@code address} in {@code table}. */
        void announce(InetAddress address, int table, long metric) throws Exception;

        /** Removes the host route of {@code address} from {@code table} (no error if absent). */
        void withdraw(InetAddress address, int table) throws Exception;

        /** Whether the host route of {@code address} is in {@code table} now. */
        boolean present(InetAddress address, int table) throws Exception;

        @Override
        void close();
    }

    private final class Entry {
        final VirtualServer vs;
        final Anycast cfg;
        final InetAddress address;
        final AnycastAnnouncer announcer;
        boolean addressPlaced;
        Instant nextAddressTry = Instant.MIN;
        boolean routeErrorLogged;
        boolean routeWanted;
        boolean routeInKernel;

        Entry(VirtualServer vs, AnycastAnnouncer announcer) {
            this.vs = vs;
            this.cfg = vs.anycast().orElseThrow();
            this.address = vs.address().orElseThrow();
            this.announcer = announcer;
        }

        String prefix() {
            return InetText.ntop(address) + (address instanceof Inet6Address ? "/128" : "/32");
        }

        String name() {
            return "VS " + vs.key();
        }
    }

    private final Kernel kernel;
    private final Map<VirtualServerKey, Entry> entries = new LinkedHashMap<>();
    private Instant lastRefresh = Instant.EPOCH;
    /** How often a route that should be there is looked for in the kernel (someone may have removed it). */
    static final java.time.Duration REFRESH = java.time.Duration.ofSeconds(5);

    public AnycastRoutes(Kernel kernel) {
        this.kernel = kernel;
    }

    /** Whether {@code servers} has an anycast virtual server. */
    public static boolean any(List<VirtualServer> servers) {
        return servers.stream().anyMatch(v -> v.anycast().isPresent() && v.address().isPresent());
    }

    /**
     * Takes the anycast virtual servers of the (possibly reloaded) configuration and each one's quorum now: places
     * addresses, announces and withdraws as {@link AnycastAnnouncer} decides; a virtual server gone from the
     * configuration has its route withdrawn.
     */
    public void apply(List<VirtualServer> servers, Predicate<VirtualServerKey> quorumUp, Instant now) {
        Map<VirtualServerKey, VirtualServer> wanted = new LinkedHashMap<>();
        for (VirtualServer v : servers) {
            if (v.anycast().isPresent() && v.address().isPresent()) {
                wanted.put(v.key(), v);
            }
        }
        for (var it = entries.entrySet().iterator(); it.hasNext(); ) {
            var en = it.next();
            VirtualServer v = wanted.get(en.getKey());
            if (v == null || !v.anycast().equals(en.getValue().vs.anycast())) {
                Entry e = en.getValue();
                if (e.routeInKernel || e.routeWanted) {
                    withdraw(e, "no longer in the configuration as configured");
                }
                it.remove();
            }
        }
        boolean refresh = !now.isBefore(lastRefresh.plus(REFRESH));
        for (VirtualServer v : wanted.values()) {
            Entry e = entries.get(v.key());
            if (e == null) {
                Anycast a = v.anycast().orElseThrow();
                e = new Entry(v, new AnycastAnnouncer(a.minUp(), a.holdDown()));
                entries.put(v.key(), e);
            }
            if (!e.addressPlaced && !now.isBefore(e.nextAddressTry)) {
                try {
                    kernel.addAddress(e.cfg.interfaceName(), e.address);
                    e.addressPlaced = true;
                    LOG.log(Level.INFO, "Anycast: " + e.prefix() + " on " + e.cfg.interfaceName() + " for " + e.name());
                } catch (Exception x) {
                    e.nextAddressTry = now.plus(REFRESH);
                    LOG.log(Level.ERROR, "Anycast: cannot put " + e.prefix() + " on " + e.cfg.interfaceName() + " ("
                            + x.getMessage() + "); retrying every " + REFRESH.toSeconds() + " s (without dummy"
                            + " interfaces in the kernel, use 'interface lo' in the anycast block)");
                }
            }
            boolean q = quorumUp.test(v.key());
            switch (e.announcer.update(q, now)) {
                case ANNOUNCE -> {
                    e.routeWanted = true;
                    announce(e, "quorum up for " + seconds(e.announcer.held(now)) + " s, min_up "
                            + seconds(e.cfg.minUp()) + " s");
                }
                case WITHDRAW -> withdraw(e, "quorum lost for " + seconds(e.announcer.held(now)) + " s, hold_down "
                        + seconds(e.cfg.holdDown()) + " s");
                case NONE -> {
                    if (e.routeWanted && (!e.routeInKernel || refresh && !present(e))) {
                        announce(e, e.routeInKernel ? "the route was removed from the table" : "retry");
                    }
                }
            }
        }
        if (refresh) {
            lastRefresh = now;
        }
    }

    private boolean present(Entry e) {
        try {
            return kernel.present(e.address, e.cfg.table());
        } catch (Exception x) {
            return true; // cannot tell: leave it
        }
    }

    private void announce(Entry e, String why) {
        if (!e.addressPlaced) {
            return; // not while the address is missing: the flows would not be taken here (retried)
        }
        try {
            kernel.announce(e.address, e.cfg.table(), e.cfg.metric());
            e.routeInKernel = true;
            e.routeErrorLogged = false;
            LOG.log(Level.INFO, "Anycast: announcing " + e.prefix() + " in table " + e.cfg.table() + " for "
                    + e.name() + " (" + why + ")");
        } catch (Exception x) {
            e.routeInKernel = false;
            if (!e.routeErrorLogged) {
                e.routeErrorLogged = true;
                LOG.log(Level.ERROR, "Anycast: cannot add the route " + e.prefix() + " to table " + e.cfg.table()
                        + " (" + x.getMessage() + "); retrying");
            }
        }
    }

    private void withdraw(Entry e, String why) {
        e.routeWanted = false;
        try {
            kernel.withdraw(e.address, e.cfg.table());
            e.routeInKernel = false;
            LOG.log(Level.INFO, "Anycast: withdrawing " + e.prefix() + " from table " + e.cfg.table() + " for "
                    + e.name() + " (" + why + ")");
        } catch (Exception x) {
            LOG.log(Level.ERROR, "Anycast: cannot remove the route " + e.prefix() + " from table " + e.cfg.table()
                    + " (" + x.getMessage() + "); it goes when the daemon exits");
        }
    }

    /** When {@link #apply} should run again at the latest for a timed change; null if no change is pending. */
    public Instant nextChange() {
        Instant next = null;
        for (Entry e : entries.values()) {
            Instant n = e.announcer.nextChange();
            if (n != null && (next == null || n.isBefore(next))) {
                next = n;
            }
        }
        return next;
    }

    /** Stopping: every announced route is withdrawn (the addresses stay, as the IPVS services may). */
    public void stop(Instant now) {
        for (Entry e : entries.values()) {
            if (e.announcer.stop(now) || e.routeInKernel) {
                withdraw(e, "shutting down");
            }
        }
        kernel.close();
    }

    /** The announcements now, by virtual server. */
    public Map<VirtualServerKey, AnycastStatus> status() {
        Map<VirtualServerKey, AnycastStatus> out = new LinkedHashMap<>();
        for (var en : entries.entrySet()) {
            Entry e = en.getValue();
            out.put(en.getKey(), new AnycastStatus(e.prefix(), e.cfg.table(), e.cfg.interfaceName(),
                    e.routeInKernel, e.announcer.announcedSince()));
        }
        return out;
    }

    /** The announced prefixes now (tests, logs). */
    public List<String> announced() {
        List<String> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (e.routeInKernel) {
                out.add(e.prefix());
            }
        }
        return out;
    }

    private static String seconds(java.time.Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
    }
}
