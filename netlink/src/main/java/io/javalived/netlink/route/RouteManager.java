package io.javalived.netlink.route;

import io.javalived.netlink.Netlink;
import io.javalived.netlink.NetlinkSocket;
import io.javalived.netlink.NlMessage;
import io.javalived.netlink.ffi.Errno;
import io.javalived.netlink.ffi.LibC;
import io.javalived.netlink.ffi.NativeException;
import java.io.Closeable;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Map;

/**
 * Adds and removes routes (RTM_NEWROUTE / RTM_DELROUTE) and policy rules (RTM_NEWRULE / RTM_DELRULE) over rtnetlink,
 * with the requests keepalived 2.2.7 sends for virtual_routes / static_routes and virtual_rules / static_rules: a
 * route is added with NLM_F_CREATE only ("prepend", keepalived's default), or NLM_F_EXCL ("add") or NLM_F_APPEND
 * ("append"); a route is removed with scope nowhere and its table, protocol, destination, type (when given) and the
 * rest of its keys; a rule is added with NLM_F_CREATE | NLM_F_EXCL and removed with the same attributes.
 */
public final class RouteManager implements Closeable {
    static final int RTM_NEWROUTE = 24, RTM_DELROUTE = 25, RTM_NEWRULE = 32, RTM_DELRULE = 33;
    static final int RTA_DST = 1, RTA_SRC = 2, RTA_OIF = 4, RTA_GATEWAY = 5, RTA_PRIORITY = 6, RTA_PREFSRC = 7,
            RTA_METRICS = 8, RTA_TABLE = 15, RTA_PREF = 20;
    /** RTAX_CC_ALGO: the only string metric. */
    public static final int RTAX_LOCK = 1, RTAX_CC_ALGO = 16;
    static final int FRA_DST = 1, FRA_SRC = 2, FRA_IIFNAME = 3, FRA_GOTO = 4, FRA_PRIORITY = 6, FRA_FWMARK = 10,
            FRA_SUPPRESS_PREFIXLEN = 14, FRA_TABLE = 15, FRA_FWMASK = 16, FRA_OIFNAME = 17, FRA_L3MDEV = 19,
            FRA_UID_RANGE = 20, FRA_PROTOCOL = 21, FRA_IP_PROTO = 22, FRA_SPORT_RANGE = 23, FRA_DPORT_RANGE = 24;
    public static final int RTN_UNICAST = 1;
    public static final int RT_TABLE_UNSPEC = 0, RT_TABLE_MAIN = 254;
    public static final int RTNH_F_ONLINK = 4;
    public static final int FR_ACT_TO_TBL = 1, FR_ACT_GOTO = 2, FR_ACT_NOP = 3, FR_ACT_BLACKHOLE = 6,
            FR_ACT_UNREACHABLE = 7, FR_ACT_PROHIBIT = 8;
    public static final int FIB_RULE_INVERT = 2;
    public static final int RTPROT_KEEPALIVED = 18;

    /** How a route is added: keepalived's "prepend" (default, NLM_F_CREATE), "add" (+EXCL), "append" (+APPEND). */
    public enum AddMode { PREPEND, ADD, APPEND }

    /**
     * One route in rtnetlink's terms. {@code type} 0 = not given (RTN_UNICAST is sent on add, nothing on delete);
     * {@code scope} -1 = not given (universe on add, nowhere on delete); {@code oif} 0 = none; {@code metric},
     * {@code tos}, {@code pref} -1 = not given; {@code metrics}: RTAX_* → value (RTAX_LOCK the lock bits);
     * {@code congctl} null = none.
     */
    public record Route(int family, int type, InetAddress dst, int dstLen, InetAddress src, int srcLen,
                        InetAddress gateway, InetAddress prefSrc, int oif, int table, int protocol, int scope,
                        long metric, int tos, int flags, int pref, Map<Integer, Long> metrics, String congctl,
                        AddMode mode) {
        public Route {
            metrics = Map.copyOf(metrics);
        }
    }

    /**
     * One policy rule. {@code from}/{@code to} null = all; {@code table} 0 = none (main for a table action);
     * {@code priority}, {@code fwmark}, {@code fwmask}, {@code suppressPrefixLength}, {@code ipProto} -1 = not given;
     * ranges null = not given.
     */
    public record Rule(int family, int action, InetAddress from, int fromLen, InetAddress to, int toLen, int tos,
                       long table, long priority, long fwmark, long fwmask, String iif, String oif, boolean invert,
                       long gotoTarget, int protocol, long suppressPrefixLength, int ipProto, int[] sport,
                       int[] dport, long[] uidRange, boolean l3mdev) {}

    private final NetlinkSocket sock;

    public RouteManager() throws NativeException {
        sock = NetlinkSocket.open(Netlink.NETLINK_ROUTE);
    }

    /** Adds a route. Returns false if the kernel already had it (EEXIST), true if added. */
    public boolean add(Route r) throws NativeException {
        return send(routeRequest(r, true), true);
    }

    /** Removes a route. Returns false if it was not there (ESRCH / ENOENT). */
    public boolean remove(Route r) throws NativeException {
        return send(routeRequest(r, false), false);
    }

    /** Adds a rule. Returns false if the kernel already had it (EEXIST), true if added. */
    public boolean add(Rule r) throws NativeException {
        return send(ruleRequest(r, true), true);
    }

    /** Removes a rule. Returns false if it was not there. */
    public boolean remove(Rule r) throws NativeException {
        return send(ruleRequest(r, false), false);
    }

    private boolean send(NlMessage.Builder m, boolean add) throws NativeException {
        try {
            sock.request(m.addFlags(Netlink.NLM_F_ACK));
            return true;
        } catch (NativeException e) {
            if (add ? e.errno() == Errno.EEXIST
                    : e.errno() == Errno.ESRCH || e.errno() == Errno.ENOENT || e.errno() == Errno.ENODEV) {
                return false;
            }
            throw e;
        }
    }

    /** The RTM_NEWROUTE ({@code add}) or RTM_DELROUTE request for {@code r}. */
    public static NlMessage.Builder routeRequest(Route r, boolean add) {
        int flags = 0;
        if (add) {
            flags = Netlink.NLM_F_CREATE | switch (r.mode()) {
                case PREPEND -> 0;
                case ADD -> Netlink.NLM_F_EXCL;
                case APPEND -> Netlink.NLM_F_APPEND;
            };
        }
        int type = add ? (r.type() == 0 ? RTN_UNICAST : r.type()) : r.type();
        int scope = r.scope() >= 0 ? r.scope() : add ? AddressManager.RT_SCOPE_UNIVERSE
                : AddressManager.RT_SCOPE_NOWHERE;
        NlMessage.Builder m = NlMessage.builder(add ? RTM_NEWROUTE : RTM_DELROUTE, flags)
                .headerU8(r.family()).headerU8(r.dst() == null ? 0 : r.dstLen())
                .headerU8(r.src() == null ? 0 : r.srcLen()).headerU8(Math.max(r.tos(), 0))
                .headerU8(r.table() < 256 ? r.table() : RT_TABLE_UNSPEC).headerU8(r.protocol())
                .headerU8(scope).headerU8(type).headerU32(r.flags());
        if (r.table() >= 256) {
            m.u32(RTA_TABLE, r.table());
        }
        if (r.dst() != null) {
            m.bytes(RTA_DST, r.dst().getAddress());
        }
        if (r.src() != null) {
            m.bytes(RTA_SRC, r.src().getAddress());
        }
        if (r.prefSrc() != null) {
            m.bytes(RTA_PREFSRC, r.prefSrc().getAddress());
        }
        if (r.gateway() != null) {
            m.bytes(RTA_GATEWAY, r.gateway().getAddress());
        }
        if (r.oif() > 0) {
            m.u32(RTA_OIF, r.oif());
        }
        if (r.metric() >= 0) {
            m.u32(RTA_PRIORITY, r.metric());
        }
        if (r.pref() >= 0) {
            m.u8(RTA_PREF, r.pref());
        }
        if (!r.metrics().isEmpty() || r.congctl() != null) {
            int nest = m.beginNested(RTA_METRICS);
            r.metrics().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> m.u32(e.getKey(), e.getValue()));
            if (r.congctl() != null) {
                m.string(RTAX_CC_ALGO, r.congctl());
            }
            m.endNested(nest);
        }
        String what = (add ? "add" : "remove") + " route " + (r.dst() == null ? "default"
                : r.dst().getHostAddress() + "/" + r.dstLen()) + " table " + r.table();
        return m.describe("rtnetlink " + what);
    }

    /** The RTM_NEWRULE ({@code add}) or RTM_DELRULE request for {@code r}. */
    public static NlMessage.Builder ruleRequest(Rule r, boolean add) {
        int table = 0;
        boolean bigTable = false;
        if (r.action() == FR_ACT_TO_TBL && !r.l3mdev()) {
            long t = r.table() == 0 ? RT_TABLE_MAIN : r.table();
            if (t < 256) {
                table = (int) t;
            } else {
                bigTable = true;
            }
        }
        NlMessage.Builder m = NlMessage.builder(add ? RTM_NEWRULE : RTM_DELRULE,
                        add ? Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL : 0)
                .headerU8(r.family()).headerU8(r.to() == null ? 0 : r.toLen())
                .headerU8(r.from() == null ? 0 : r.fromLen()).headerU8(Math.max(r.tos(), 0))
                .headerU8(table).headerU8(0).headerU8(0).headerU8(r.action())
                .headerU32(r.invert() ? FIB_RULE_INVERT : 0);
        if (bigTable) {
            m.u32(FRA_TABLE, r.table());
        }
        if (r.from() != null) {
            m.bytes(FRA_SRC, r.from().getAddress());
        }
        if (r.to() != null) {
            m.bytes(FRA_DST, r.to().getAddress());
        }
        if (r.priority() >= 0) {
            m.u32(FRA_PRIORITY, r.priority());
        }
        if (r.fwmark() >= 0) {
            m.u32(FRA_FWMARK, r.fwmark());
        }
        if (r.fwmask() >= 0) {
            m.u32(FRA_FWMASK, r.fwmask());
        }
        if (r.iif() != null) {
            m.string(FRA_IIFNAME, r.iif());
        }
        if (r.oif() != null) {
            m.string(FRA_OIFNAME, r.oif());
        }
        if (r.action() == FR_ACT_GOTO) {
            m.u32(FRA_GOTO, r.gotoTarget());
        }
        if (r.suppressPrefixLength() >= 0) {
            m.u32(FRA_SUPPRESS_PREFIXLEN, r.suppressPrefixLength());
        }
        if (r.l3mdev()) {
            m.u8(FRA_L3MDEV, 1);
        }
        if (r.uidRange() != null) {
            byte[] b = new byte[8];
            putU32(b, 0, r.uidRange()[0]);
            putU32(b, 4, r.uidRange()[1]);
            m.bytes(FRA_UID_RANGE, b);
        }
        if (r.protocol() > 0) {
            m.u8(FRA_PROTOCOL, r.protocol());
        }
        if (r.ipProto() >= 0) {
            m.u8(FRA_IP_PROTO, r.ipProto());
        }
        if (r.sport() != null) {
            m.bytes(FRA_SPORT_RANGE, range(r.sport()));
        }
        if (r.dport() != null) {
            m.bytes(FRA_DPORT_RANGE, range(r.dport()));
        }
        String what = (add ? "add" : "remove") + " rule" + (r.priority() >= 0 ? " priority " + r.priority() : "")
                + (r.from() != null ? " from " + r.from().getHostAddress() + "/" + r.fromLen() : "");
        return m.describe("rtnetlink " + what);
    }

    /** struct fib_rule_port_range {__u16 start, end} in host (little-endian) order. */
    private static byte[] range(int[] r) {
        return new byte[] {(byte) r[0], (byte) (r[0] >> 8), (byte) r[1], (byte) (r[1] >> 8)};
    }

    private static void putU32(byte[] b, int off, long v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >> 8);
        b[off + 2] = (byte) (v >> 16);
        b[off + 3] = (byte) (v >> 24);
    }

    /** AF_INET or AF_INET6 of an address. */
    public static int family(InetAddress a) {
        return a instanceof Inet6Address ? LibC.AF_INET6 : LibC.AF_INET;
    }

    @Override
    public void close() {
        sock.close();
    }
}
