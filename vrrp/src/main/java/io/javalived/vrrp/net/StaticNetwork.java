package io.javalived.vrrp.net;

import io.javalived.config.model.KeepalivedConfig;
import io.javalived.config.model.VirtualIpAddress;
import io.javalived.config.model.VirtualRoute;
import io.javalived.config.model.VirtualRule;
import io.javalived.netlink.ffi.NativeException;
import io.javalived.netlink.inet.Interfaces;
import io.javalived.netlink.route.AddressManager;
import io.javalived.netlink.route.RouteManager;
import java.io.Closeable;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;

/**
 * static_ipaddress, static_routes and static_rules, as keepalived 2.2.7's VRRP process handles them: added at start
 * (addresses, routes, rules), kept whatever the instances' states, changed by a reload (the gone ones removed, the
 * new ones added), removed at stop (rules, routes, addresses). Errors are logged, never thrown.
 */
public final class StaticNetwork implements Closeable {
    private static final Logger LOG = System.getLogger("io.javalived.vrrp");

    private List<VirtualIpAddress> addresses = List.of();
    private List<VirtualRoute> routes = List.of();
    private List<VirtualRule> rules = List.of();
    private AddressManager addressKernel;
    private RouteManager routeKernel;

    /** Applies the static entries of {@code config}: those of the previous call that are gone are removed first. */
    public synchronized void apply(KeepalivedConfig config) {
        List<VirtualRule> goneRules = minus(rules, config.staticRules());
        List<VirtualRoute> goneRoutes = minus(routes, config.staticRoutes());
        List<VirtualIpAddress> goneAddresses = minus(addresses, config.staticAddresses());
        List<VirtualIpAddress> newAddresses = minus(config.staticAddresses(), addresses);
        List<VirtualRoute> newRoutes = minus(config.staticRoutes(), routes);
        List<VirtualRule> newRules = minus(config.staticRules(), rules);
        if (goneRules.isEmpty() && goneRoutes.isEmpty() && goneAddresses.isEmpty() && newAddresses.isEmpty()
                && newRoutes.isEmpty() && newRules.isEmpty()) {
            return;
        }
        try {
            open();
        } catch (NativeException e) {
            LOG.log(Level.ERROR, "cannot open rtnetlink for the static addresses, routes and rules: "
                    + e.getMessage());
            return;
        }
        VirtualRoutes gone = new VirtualRoutes("static", goneRoutes, goneRules, routeKernel);
        gone.removeAll();
        removeAddresses(goneAddresses);
        addAddresses(newAddresses);
        new VirtualRoutes("static", newRoutes, newRules, routeKernel).addAll();
        addresses = config.staticAddresses();
        routes = config.staticRoutes();
        rules = config.staticRules();
    }

    private void open() throws NativeException {
        if (addressKernel == null) {
            addressKernel = new AddressManager();
        }
        if (routeKernel == null) {
            routeKernel = new RouteManager();
        }
    }

    private void addAddresses(List<VirtualIpAddress> which) {
        for (VirtualIpAddress a : which) {
            if (a.dev().isEmpty()) {
                LOG.log(Level.ERROR, "static_ipaddress " + a.cidr() + " has no interface - add 'dev IFNAME'");
                continue;
            }
            try {
                int idx = Interfaces.index(a.dev().get());
                addressKernel.add(idx, a.address(), a.prefixLength(),
                        a.address() instanceof Inet4Address ? a.broadcast().orElse(null) : null,
                        a.scope().map(AddressManager::scope).orElse(AddressManager.RT_SCOPE_UNIVERSE),
                        a.label().orElse(null), a.noPrefixRoute());
            } catch (NativeException | RuntimeException e) {
                LOG.log(Level.ERROR, "cannot add static address " + a.cidr() + " dev " + a.dev().get() + ": "
                        + e.getMessage());
            }
        }
    }

    private void removeAddresses(List<VirtualIpAddress> which) {
        for (VirtualIpAddress a : which) {
            if (a.dev().isEmpty()) {
                continue;
            }
            try {
                addressKernel.remove(Interfaces.index(a.dev().get()), a.address(), a.prefixLength());
            } catch (NativeException | RuntimeException e) {
                LOG.log(Level.WARNING, "cannot remove static address " + a.cidr() + " dev " + a.dev().get() + ": "
                        + e.getMessage());
            }
        }
    }

    private static <T> List<T> minus(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.removeAll(b);
        return out;
    }

    /** Removes every static entry (rules, routes, addresses), as keepalived does when its VRRP process stops. */
    @Override
    public synchronized void close() {
        if (routeKernel != null) {
            new VirtualRoutes("static", routes, rules, routeKernel).removeAll();
        }
        if (addressKernel != null) {
            removeAddresses(addresses);
        }
        addresses = List.of();
        routes = List.of();
        rules = List.of();
        if (routeKernel != null) {
            routeKernel.close();
            routeKernel = null;
        }
        if (addressKernel != null) {
            addressKernel.close();
            addressKernel = null;
        }
    }
}
