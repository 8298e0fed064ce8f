package io.javalived.vrrp.net;

import io.javalived.config.model.VirtualRoute;
import io.javalived.config.model.VirtualRule;
import io.javalived.netlink.ffi.LibC;
import io.javalived.netlink.ffi.NativeException;
import io.javalived.netlink.inet.Interfaces;
import io.javalived.netlink.route.RouteManager;
import java.io.Closeable;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.util.List;

/**
 * The virtual_routes and virtual_rules of one instance (added when it becomes MASTER, removed when it leaves MASTER
 * or stops, keepalived's order: VIPs, routes, rules on the way up; rules, routes, VIPs on the way down), or the
 * static_routes / static_rules of the configuration (added at start, removed at stop). Errors are logged with the
 * entry as written and never thrown: one bad route does not stop the others.
 */
public final class VirtualRoutes implements Closeable {
    private static final Logger LOG = System.getLogger("io.javalived.vrrp");

    private final String who;
    private final List<VirtualRoute> routes;
    private final List<VirtualRule> rules;
    private final RouteManager kernel;
    private final boolean ownKernel;

    /** {@code who}: the log prefix, e.g. "(VI_1)" or "static". {@code kernel} null: opens its own socket lazily. */
    public VirtualRoutes(String who, List<VirtualRoute> routes, List<VirtualRule> rules, RouteManager kernel) {
        this.who = who;
        this.routes = List.copyOf(routes);
        this.rules = List.copyOf(rules);
        this.kernel = kernel;
        this.ownKernel = false;
    }

    private VirtualRoutes(String who, List<VirtualRoute> routes, List<VirtualRule> rules) throws NativeException {
        this.who = who;
        this.routes = List.copyOf(routes);
        this.rules = List.copyOf(rules);
        this.kernel = routes.isEmpty() && rules.isEmpty() ? null : new RouteManager();
        this.ownKernel = true;
    }

    /** With its own rtnetlink socket (none when there is nothing to do). */
    public static VirtualRoutes open(String who, List<VirtualRoute> routes, List<VirtualRule> rules)
            throws NativeException {
        return new VirtualRoutes(who, routes, rules);
    }

    public boolean isEmpty() {
        return routes.isEmpty() && rules.isEmpty();
    }

    public List<VirtualRoute> routes() {
        return routes;
    }

    public List<VirtualRule> rules() {
        return rules;
    }

    /** Adds the routes, then the rules (one already present is left alone). */
    public synchronized void addAll() {
        addRoutes(routes);
        addRules(rules);
    }

    /** Removes the rules, then the routes. */
    public synchronized void removeAll() {
        removeRules(rules);
        removeRoutes(routes);
    }

    public synchronized void addRoutes(List<VirtualRoute> which) {
        for (VirtualRoute r : which) {
            try {
                kernel.add(toKernel(r));
            } catch (NativeException | RuntimeException e) {
                LOG.log(Level.ERROR, who + " cannot add route " + r.text() + ": " + e.getMessage()
                        + " - check the gateway, interface and table");
            }
        }
    }

    public synchronized void removeRoutes(List<VirtualRoute> which) {
        for (VirtualRoute r : which) {
            try {
                kernel.remove(toKernel(r));
            } catch (NativeException | RuntimeException e) {
                LOG.log(Level.WARNING, who + " cannot remove route " + r.text() + ": " + e.getMessage());
            }
        }
    }

    public synchronized void addRules(List<VirtualRule> which) {
        for (VirtualRule r : which) {
            try {
                kernel.add(toKernel(r));
            } catch (NativeException | RuntimeException e) {
                LOG.log(Level.ERROR, who + " cannot add rule " + r.text() + ": " + e.getMessage());
            }
        }
    }

    public synchronized void removeRules(List<VirtualRule> which) {
        for (VirtualRule r : which) {
            try {
                kernel.remove(toKernel(r));
            } catch (NativeException | RuntimeException e) {
                LOG.log(Level.WARNING, who + " cannot remove rule " + r.text() + ": " + e.getMessage());
            }
        }
    }

    /** The kernel's form of a configured route; its interface is looked up now (it may have been re-created). */
    public static RouteManager.Route toKernel(VirtualRoute r) throws NativeException {
        int oif = r.dev().isPresent() ? Interfaces.index(r.dev().get()) : 0;
        return kernelRoute(r, oif);
    }

    /** {@link #toKernel(VirtualRoute)} with the interface index given (pure). */
    public static RouteManager.Route kernelRoute(VirtualRoute r, int oif) {
        int family = r.ipv6() ? LibC.AF_INET6 : LibC.AF_INET;
        InetAddress dst = r.prefixLength() == 0 ? null : r.destination();
        return new RouteManager.Route(family, r.type(), dst, r.prefixLength(), r.from().orElse(null), r.fromLength(),
                r.via().orElse(null), r.src().orElse(null), oif, (int) r.table(), r.protocol(),
                r.scope().orElse(-1), r.metric().orElse(-1L), r.tos().orElse(-1),
                r.onlink() ? RouteManager.RTNH_F_ONLINK : 0, r.pref().orElse(-1), r.metrics(),
                r.congctl().orElse(null), switch (r.mode()) {
                    case "add" -> RouteManager.AddMode.ADD;
                    case "append" -> RouteManager.AddMode.APPEND;
                    default -> RouteManager.AddMode.PREPEND;
                });
    }

    /** The kernel's form of a configured rule (pure). */
    public static RouteManager.Rule toKernel(VirtualRule r) {
        return new RouteManager.Rule(r.ipv6() ? LibC.AF_INET6 : LibC.AF_INET, r.action(), r.from().orElse(null),
                r.fromLength(), r.to().orElse(null), r.toLength(), r.tos().orElse(-1), r.table(), r.priority(),
                r.fwmark().orElse(-1L), r.fwmask().orElse(-1L), r.iif().orElse(null), r.oif().orElse(null),
                r.invert(), r.gotoTarget(), r.protocol(), r.suppressPrefixLength().orElse(-1L),
                r.ipProto().orElse(-1), ints(r.sport()), ints(r.dport()),
                r.uidRange().isEmpty() ? null : new long[] {r.uidRange().get(0), r.uidRange().get(1)}, r.l3mdev());
    }

    private static int[] ints(List<Integer> l) {
        return l.isEmpty() ? null : new int[] {l.get(0), l.get(1)};
    }

    @Override
    public void close() {
        if (ownKernel && kernel != null) {
            kernel.close();
        }
    }
}
