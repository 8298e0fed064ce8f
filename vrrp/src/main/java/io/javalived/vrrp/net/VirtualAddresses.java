package io.javalived.vrrp.net;

import io.javalived.config.model.VirtualIpAddress;
import io.javalived.netlink.NlMessage;
import io.javalived.netlink.ffi.Errno;
import io.javalived.netlink.ffi.NativeException;
import io.javalived.netlink.inet.Interfaces;
import io.javalived.netlink.inet.NeighbourAnnouncer;
import io.javalived.netlink.route.AddressManager;
import java.io.Closeable;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The virtual_ipaddress block of one instance on the host: added / removed over rtnetlink (dev, brd, scope, label),
 * announced with gratuitous ARP (IPv4) or unsolicited neighbour advertisements (IPv6).
 *
 * <p>A takeover is time-critical, so {@link #prepare()} does everything that does not depend on the moment ahead of
 * time: it resolves each VIP's interface index and MAC address, builds its RTM_NEWADDR request and its gratuitous ARP
 * frame (or neighbour advertisement) and opens the announcement socket. A takeover then costs one rtnetlink request
 * and one send per VIP. A request refused with ENODEV (the interface was re-created under a new index) re-resolves
 * the interface and is retried once; {@link #linkChanged(String)} re-prepares after a link change (new MAC).
 */
public final class VirtualAddresses implements Closeable {
    private static final Logger LOG = System.getLogger("io.javalived.vrrp");

    private final String instance;
    private final String defaultIf;
    private final List<VirtualIpAddress> vips;
    private final AddressManager addresses;
    private final Map<String, NeighbourAnnouncer> announcers = new HashMap<>();
    private final List<Slot> slots;

    private final List<VirtualIpAddress> advertised;

    /** One VIP and what was prepared for it (null fields: not prepared yet, or its interface was missing). */
    private static final class Slot {
        final VirtualIpAddress vip;
        final String dev;
        NlMessage.Builder addRequest;
        NeighbourAnnouncer announcer;
        NeighbourAnnouncer.Announcement announcement;

        Slot(VirtualIpAddress vip, String dev) {
            this.vip = vip;
            this.dev = dev;
        }
    }

    /**
     * {@code vips}: virtual_ipaddress (carried in adverts); {@code excluded}: virtual_ipaddress_excluded (added and
     * removed with the others, never advertised).
     */
    public VirtualAddresses(String instance, String defaultIf, List<VirtualIpAddress> vips,
                            List<VirtualIpAddress> excluded, AddressManager addresses) {
        this.instance = instance;
        this.defaultIf = defaultIf;
        this.advertised = List.copyOf(vips);
        List<VirtualIpAddress> all = new ArrayList<>(vips);
        all.addAll(excluded);
        this.vips = List.copyOf(all);
        this.addresses = addresses;
        List<Slot> s = new ArrayList<>(all.size());
        for (VirtualIpAddress v : all) {
            s.add(new Slot(v, dev(v)));
        }
        this.slots = List.copyOf(s);
    }

    public List<VirtualIpAddress> vips() {
        return vips;
    }

    private String dev(VirtualIpAddress v) {
        return v.dev().orElse(defaultIf);
    }

    /** Adds every VIP (one already present is left alone); errors are logged with what to check. */
    public synchronized void addAll() {
        addAll(false);
    }

    /**
     * Adds every VIP and announces each one (gratuitous ARP / unsolicited NA) as soon as the kernel has confirmed its
     * address: the first announcement of a takeover does not wait for the other VIPs. A VIP that could not be added
     * is not announced.
     */
    public synchronized void addAllAndAnnounce() {
        addAll(true);
    }

    private void addAll(boolean announce) {
        List<Runnable> errors = null; // logged after the loop: a console write would delay the next VIP
        for (Slot s : slots) {
            try {
                if (s.addRequest == null) {
                    prepare(s, null);
                }
                try {
                    addresses.add(s.addRequest);
                } catch (NativeException e) {
                    if (e.errno() != Errno.ENODEV) {
                        throw e;
                    }
                    prepare(s, null); // the interface was re-created: new index
                    addresses.add(s.addRequest);
                }
            } catch (NativeException | RuntimeException e) {
                errors = error(errors, Level.ERROR, "VRRP_Instance(" + instance + ") cannot add " + s.vip.cidr()
                        + " dev " + s.dev + ": " + e.getMessage());
                continue;
            }
            if (announce) {
                String err = announce(s);
                if (err != null) {
                    errors = error(errors, Level.WARNING, err);
                }
            }
        }
        if (errors != null) {
            errors.forEach(Runnable::run);
        }
    }

    private static List<Runnable> error(List<Runnable> errors, Level level, String message) {
        List<Runnable> l = errors != null ? errors : new ArrayList<>(2);
        l.add(() -> LOG.log(level, message));
        return l;
    }

    /** Removes every VIP (one already gone is fine). */
    public synchronized void removeAll() {
        remove(vips);
    }

    /** Removes the given VIPs (a reload's removed ones; one already gone is fine). */
    public synchronized void remove(List<VirtualIpAddress> which) {
        for (VirtualIpAddress v : which) {
            String dev = dev(v);
            try {
                addresses.remove(Interfaces.index(dev), v.address(), v.prefixLength());
            } catch (NativeException | RuntimeException e) {
                LOG.log(Level.ERROR, "VRRP_Instance(" + instance + ") cannot remove " + v.cidr() + " dev " + dev
                        + ": " + e.getMessage());
            }
        }
    }

    /** True when at least one VIP is present on its interface (for tests and start-up cleanup). */
    public synchronized boolean anyPresent() {
        for (VirtualIpAddress v : vips) {
            try {
                for (AddressManager.Address a : addresses.list(Interfaces.index(dev(v)), 0)) {
                    if (a.address().equals(v.address())) {
                        return true;
                    }
                }
            } catch (NativeException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * Resolves interfaces and MAC addresses, builds the rtnetlink requests and announcement frames and opens the
     * announcement sockets ahead of time, so that a takeover does not wait for any of it. A VIP whose interface is
     * missing is logged and prepared again when it is needed.
     */
    public synchronized void prepare() {
        Map<String, byte[]> macs = new HashMap<>();
        for (Slot s : slots) {
            try {
                prepare(s, macs);
            } catch (NativeException | RuntimeException e) {
                LOG.log(Level.WARNING, "VRRP_Instance(" + instance + ") interface " + s.dev + " for "
                        + s.vip.cidr() + ": " + e.getMessage());
            }
        }
    }

    /** Prepares again the VIPs on {@code ifname} (its index or MAC address may have changed); any thread. */
    public synchronized void linkChanged(String ifname) {
        Map<String, byte[]> macs = new HashMap<>();
        for (Slot s : slots) {
            if (s.dev.equals(ifname)) {
                try {
                    prepare(s, macs);
                } catch (NativeException | RuntimeException e) {
                    s.addRequest = null; // prepared again when needed
                    s.announcement = null;
                    LOG.log(Level.DEBUG, "VRRP_Instance(" + instance + ") interface " + s.dev + " for "
                            + s.vip.cidr() + ": " + e.getMessage());
                }
            }
        }
    }

    private void prepare(Slot s, Map<String, byte[]> macs) throws NativeException {
        VirtualIpAddress v = s.vip;
        int idx = Interfaces.index(s.dev);
        byte[] mac = macs != null ? macs.get(s.dev) : null;
        if (mac == null) {
            mac = Interfaces.hardwareAddress(s.dev);
            if (macs != null) {
                macs.put(s.dev, mac);
            }
        }
        NeighbourAnnouncer a = announcers.get(s.dev);
        if (a == null || a.ifindex() != idx) {
            if (a != null) {
                a.close();
            }
            a = new NeighbourAnnouncer(s.dev, idx);
            announcers.put(s.dev, a);
        }
        int scope = v.scope().map(AddressManager::scope).orElse(AddressManager.RT_SCOPE_UNIVERSE);
        NlMessage.Builder req = AddressManager.addRequest(idx, v.address(), v.prefixLength(),
                v.broadcast().orElse(null), scope, v.label().orElse(null), v.noPrefixRoute());
        NeighbourAnnouncer.Announcement ann = a.prepare(v.address(), mac, false);
        s.addRequest = req;
        s.announcer = a;
        s.announcement = ann;
    }

    /** One gratuitous ARP / unsolicited NA for each VIP. */
    public synchronized void announceAll() {
        for (Slot s : slots) {
            String err = announce(s);
            if (err != null) {
                LOG.log(Level.WARNING, err);
            }
        }
    }

    /** Announces one VIP; returns an error message or null. */
    private String announce(Slot s) {
        try {
            if (s.announcement == null) {
                prepare(s, null);
            }
            try {
                s.announcer.announce(s.announcement);
            } catch (NativeException e) {
                if (e.errno() != Errno.ENXIO && e.errno() != Errno.ENODEV) {
                    throw e;
                }
                prepare(s, null); // the interface was re-created: new index
                s.announcer.announce(s.announcement);
            }
            return null;
        } catch (NativeException | RuntimeException e) {
            return "VRRP_Instance(" + instance + ") cannot send gratuitous ARP/NA for "
                    + s.vip.address().getHostAddress() + " on " + s.dev + ": " + e.getMessage();
        }
    }

    /**
     * Serializes the prepared rtnetlink requests once without sending them, so that the first takeover does not run
     * that code cold (class loading, first-call linking). Call after {@link #prepare()}.
     */
    public synchronized void warmUp() {
        for (Slot s : slots) {
            if (s.addRequest != null) {
                s.addRequest.toBytes(1, 0);
            }
        }
    }

    /** The addresses adverts carry (virtual_ipaddress, not the excluded ones). */
    public List<InetAddress> addressList() {
        List<InetAddress> l = new ArrayList<>();
        for (VirtualIpAddress v : advertised) {
            l.add(v.address());
        }
        return l;
    }

    @Override
    public synchronized void close() {
        announcers.values().forEach(NeighbourAnnouncer::close);
        announcers.clear();
    }
}
