package io.javalived.director.anycast;

import io.javalived.netlink.ffi.LibC;
import io.javalived.netlink.ffi.NativeException;
import io.javalived.netlink.inet.Interfaces;
import io.javalived.netlink.route.AddressManager;
import io.javalived.netlink.route.LeaseDevice;
import io.javalived.netlink.route.KernelRoutes;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * {@link AnycastRoutes.Kernel} over rtnetlink. The host routes go through {@link LeaseDevice} {@value #LEASE}, a TUN
 * interface this process holds open: if the daemon dies (kill -9 included) the kernel deletes the interface and the
 * routes with it, and the routing daemon stops announcing them. Routes carry protocol {@value #RTPROT} so that BIRD
 * ({@code learn}) and FRR take them as another daemon's routes.
 */
public final class NetlinkAnycastKernel implements AnycastRoutes.Kernel {
    /** The lease interface's name. */
    public static final String LEASE = "javalived-ac";
    /** rtm_protocol of the routes (not one of the kernel's, BIRD's (12) or FRR's (186-196)). */
    public static final int RTPROT = 99;

    private final KernelRoutes routes;
    private final AddressManager addresses;
    private LeaseDevice lease;

    public NetlinkAnycastKernel() throws NativeException {
        routes = new KernelRoutes();
        addresses = new AddressManager();
    }

    private LeaseDevice lease() throws NativeException {
        if (lease == null) {
            lease = LeaseDevice.open(LEASE, routes);
        }
        return lease;
    }

    @Override
    public void addAddress(String iface, InetAddress address) throws NativeException {
        routes.createDummy(iface);
        int index = Interfaces.index(iface);
        routes.setUp(index);
        addresses.add(index, address, address instanceof Inet6Address ? 128 : 32, null,
                AddressManager.RT_SCOPE_UNIVERSE, null, true);
    }

    @Override
    public void announce(InetAddress address, int table, long metric) throws NativeException {
        routes.replace(address, prefix(address), lease().index(), table, RTPROT, metric);
    }

    @Override
    public void withdraw(InetAddress address, int table) throws NativeException {
        routes.remove(address, prefix(address), table, RTPROT);
    }

    @Override
    public boolean present(InetAddress address, int table) throws NativeException {
        int family = address instanceof Inet6Address ? LibC.AF_INET6 : LibC.AF_INET;
        return routes.list(family, table).stream()
                .anyMatch(r -> r.destination().equals(address) && r.prefixLength() == prefix(address));
    }

    private static int prefix(InetAddress a) {
        return a instanceof Inet6Address ? 128 : 32;
    }

    @Override
    public void close() {
        if (lease != null) {
            lease.close();
            lease = null;
        }
        routes.close();
        addresses.close();
    }
}
