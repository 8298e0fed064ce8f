package io.javalived.vrrp.net;

import io.javalived.config.model.VirtualIpAddress;
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
 */
public final class VirtualAddresses implements Closeable {
    private static final Logger LOG = System.getLogger("io.javalived.vrrp");

    private final String instance;
    private final String defaultIf;
    private final List<VirtualIpAddress> vips;
    private final AddressManager addresses;
    private final Map<String, NeighbourAnnouncer> announcers = new HashMap<>();
    private final Map<String, byte[]> macs = new HashMap<>();

    private final List<VirtualIpAddress> advertised;

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
    }

    public List<VirtualIpAddress> vips() {
        return vips;
    }

    private String dev(VirtualIpAddress v) {
        return v.dev().orElse(defaultIf);
    }

    /** Adds every VIP (one already present is left alone); errors are logged with what to check. */
    public synchronized void addAll() {
        for (VirtualIpAddress v : vips) {
            String dev = dev(v);
            try {
                int idx = Interfaces.index(dev);
                int scope = v.scope().map(AddressManager::scope).orElse(AddressManager.RT_SCOPE_UNIVERSE);
                addresses.add(idx, v.address(), v.prefixLength(), v.broadcast().orElse(null), scope,
                        v.label().orElse(null), v.noPrefixRoute());
            } catch (NativeException | RuntimeException e) {
                LOG.log(Level.ERROR, "VRRP_Instance(" + instance + ") cannot add " + v.cidr() + " dev " + dev + ": "
                        + e.getMessage());
            }
        }
    }

    /** Removes every VIP (one already gone is fine). */
    public synchronized void removeAll() {
        for (VirtualIpAddress v : vips) {
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
     * Resolves interfaces and MAC addresses and opens the announcement sockets ahead of time, so the first
     * gratuitous ARP after a takeover does not wait for them.
     */
    public synchronized void prepare() {
        for (VirtualIpAddress v : vips) {
            String dev = dev(v);
            try {
                if (!macs.containsKey(dev)) {
                    macs.put(dev, Interfaces.hardwareAddress(dev));
                }
                NeighbourAnnouncer a = announcers.get(dev);
                if (a == null) {
                    a = new NeighbourAnnouncer(dev, Interfaces.index(dev));
                    announcers.put(dev, a);
                }
                a.prepare(v.address());
            } catch (NativeException | RuntimeException e) {
                LOG.log(Level.WARNING, "VRRP_Instance(" + instance + ") interface " + dev + " for "
                        + v.cidr() + ": " + e.getMessage());
            }
        }
    }

    /** One gratuitous ARP / unsolicited NA for each VIP. */
    public synchronized void announceAll() {
        for (VirtualIpAddress v : vips) {
            String dev = dev(v);
            try {
                byte[] mac = macs.get(dev);
                if (mac == null) {
                    mac = Interfaces.hardwareAddress(dev);
                    macs.put(dev, mac);
                }
                NeighbourAnnouncer a = announcers.get(dev);
                if (a == null) {
                    a = new NeighbourAnnouncer(dev, Interfaces.index(dev));
                    announcers.put(dev, a);
                }
                a.announce(v.address(), mac, false);
            } catch (NativeException | RuntimeException e) {
                LOG.log(Level.WARNING, "VRRP_Instance(" + instance + ") cannot send gratuitous ARP/NA for "
                        + v.address().getHostAddress() + " on " + dev + ": " + e.getMessage());
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
