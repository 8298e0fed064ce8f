package io.javalived.vrrp.net;

import io.javalived.netlink.ffi.NativeException;
import io.javalived.netlink.inet.Interfaces;
import io.javalived.netlink.route.AddressManager;
import io.javalived.netlink.route.LinkManager;
import io.javalived.netlink.route.LinkMonitor;
import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A VRRP virtual MAC interface (use_vmac), as keepalived 2.2.7 makes it (vrrp_vmac.c, vrrp_if_config.c): a macvlan
 * in private mode over the instance's interface, named {@code vrrp.VRID} unless named in the configuration, with the
 * virtual router MAC 00:00:5e:00:01:VRID (IPv6: 00:00:5e:00:02:VRID); created at start and kept in every state (the
 * VIPs go on it when MASTER), deleted at stop. IPv4: arp_ignore 1, accept_local 1, rp_filter 0,
 * promote_secondaries 1 and IPv6 disabled on it; arp_ignore 1 and arp_filter 1 on the base interface (restored when
 * the last VMAC over it is deleted), so only the VMAC answers ARP for the VIPs. IPv6: no automatic link-local
 * address; the base interface's link-local address is added (adverts come from it) unless vmac_xmit_base.
 */
public final class Vmac implements Closeable {
    private static final Logger LOG = System.getLogger("io.javalived.vrrp");
    /** Base interface → {arp_ignore, arp_filter} before the first VMAC, and the number of VMACs over it. */
    private static final Map<String, int[]> BASE_SAVED = new HashMap<>();

    private final String instance;
    private final String name;
    private final String base;
    private final boolean ipv6;
    private final int index;

    private Vmac(String instance, String name, String base, boolean ipv6, int index) {
        this.instance = instance;
        this.name = name;
        this.base = base;
        this.ipv6 = ipv6;
        this.index = index;
    }

    /** 00:00:5e:00:01:VRID (IPv4) or 00:00:5e:00:02:VRID (IPv6). */
    public static byte[] virtualMac(int vrid, boolean ipv6) {
        return new byte[] {0, 0, 0x5e, 0, (byte) (ipv6 ? 2 : 1), (byte) vrid};
    }

    /** keepalived's default name: "vrrp." + VRID. */
    public static String defaultName(int vrid) {
        return "vrrp." + vrid;
    }

    /**
     * Creates (or takes over, when an interface of that name already has the virtual MAC: a previous run's) the VMAC
     * and brings it up. {@code linkLocal}: the address to add on it (IPv6, not xmit_base), else null.
     */
    public static Vmac create(String instance, String name, String base, int vrid, boolean ipv6,
                              InetAddress linkLocal, AddressManager addresses) throws NativeException {
        byte[] mac = virtualMac(vrid, ipv6);
        int baseIndex = Interfaces.index(base);
        LinkMonitor.Link existing = LinkMonitor.dump().stream().filter(l -> l.name().equals(name)).findFirst()
                .orElse(null);
        try (LinkManager links = new LinkManager()) {
            if (existing != null) {
                if (!Arrays.equals(existing.hardwareAddress(), mac)) {
                    throw new NativeException("use_vmac", 17, "VRRP_Instance(" + instance + ") interface " + name
                            + " already exists and is not this instance's VMAC (MAC "
                            + Interfaces.formatMac(existing.hardwareAddress()) + ") - remove it or name another one"
                            + " with use_vmac NAME");
                }
                LOG.log(Level.INFO, "(" + instance + ") Using existing VMAC interface " + name);
            } else {
                links.createMacvlan(name, baseIndex, mac, LinkManager.MACVLAN_MODE_PRIVATE);
            }
            int index = Interfaces.index(name);
            Vmac v = new Vmac(instance, name, base, ipv6, index);
            try {
                if (!ipv6) {
                    v.setInterfaceParameters();
                }
                sysctl("ipv6", name, "disable_ipv6", ipv6 ? 0 : 1);
                links.setAddrGenModeNone(index);
                links.setUp(index);
                if (linkLocal != null) {
                    addresses.add(index, linkLocal, 64, null, AddressManager.RT_SCOPE_LINK, null, false);
                }
            } catch (NativeException | RuntimeException e) {
                v.close();
                throw e;
            }
            LOG.log(Level.INFO, "(" + instance + ") VMAC interface " + name + " over " + base + " with MAC "
                    + Interfaces.formatMac(mac) + " is up");
            return v;
        }
    }

    public String name() {
        return name;
    }

    public int index() {
        return index;
    }

    private void setInterfaceParameters() {
        sysctl("ipv4", name, "arp_ignore", 1);
        sysctl("ipv4", name, "accept_local", 1);
        sysctl("ipv4", name, "rp_filter", 0);
        sysctl("ipv4", name, "promote_secondaries", 1);
        synchronized (BASE_SAVED) {
            int[] saved = BASE_SAVED.get(base);
            if (saved != null) {
                saved[2]++;
                return;
            }
            int ignore = read("ipv4", base, "arp_ignore");
            int filter = read("ipv4", base, "arp_filter");
            BASE_SAVED.put(base, new int[] {ignore, filter, 1});
            if (ignore != 1) {
                sysctl("ipv4", base, "arp_ignore", 1);
            }
            if (filter != 1) {
                sysctl("ipv4", base, "arp_filter", 1);
            }
        }
    }

    private void resetInterfaceParameters() {
        synchronized (BASE_SAVED) {
            int[] saved = BASE_SAVED.get(base);
            if (saved == null || --saved[2] > 0) {
                return;
            }
            BASE_SAVED.remove(base);
            if (saved[0] >= 0 && saved[0] != 1) {
                sysctl("ipv4", base, "arp_ignore", saved[0]);
            }
            if (saved[1] >= 0 && saved[1] != 1) {
                sysctl("ipv4", base, "arp_filter", saved[1]);
            }
        }
    }

    private static int read(String family, String ifname, String key) {
        try {
            return Integer.parseInt(Files.readString(path(family, ifname, key)).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static void sysctl(String family, String ifname, String key, int value) {
        try {
            Files.writeString(path(family, ifname, key), Integer.toString(value));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot set net." + family + ".conf." + ifname + "." + key + " = " + value + ": "
                    + e.getMessage());
        }
    }

    private static Path path(String family, String ifname, String key) {
        return Path.of("/proc/sys/net", family, "conf", ifname, key);
    }

    /** Deletes the VMAC (its addresses go with it) and restores the base interface's ARP settings. */
    @Override
    public void close() {
        if (!ipv6) {
            resetInterfaceParameters();
        }
        try (LinkManager links = new LinkManager()) {
            links.delete(index);
            LOG.log(Level.INFO, "(" + instance + ") VMAC interface " + name + " removed");
        } catch (NativeException e) {
            LOG.log(Level.WARNING, "(" + instance + ") Error removing VMAC interface " + name + ": "
                    + e.getMessage());
        }
    }
}
