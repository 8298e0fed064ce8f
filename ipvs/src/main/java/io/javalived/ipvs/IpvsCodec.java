package io.javalived.ipvs;

import io.javalived.inet.Protocol;
import io.javalived.netlink.Netlink;
import io.javalived.netlink.NlAttr;
import io.javalived.netlink.NlAttrs;
import io.javalived.netlink.NlMessage;
import java.net.Inet4Address;
import java.net.InetAddress;

/** Pure encoding of IPVS generic netlink requests and decoding of the kernel's answers. */
public final class IpvsCodec {
    private final int familyId;

    public IpvsCodec(int familyId) {
        this.familyId = familyId;
    }

    public int familyId() {
        return familyId;
    }

    public NlMessage.Builder request(int cmd, int flags) {
        return NlMessage.genl(familyId, flags, cmd, Ipvs.GENL_VERSION);
    }

    // ---- encoding ------------------------------------------------------------------------------------------------

    /** The request for one table change. */
    public NlMessage.Builder op(IpvsOp op) {
        NlMessage.Builder b = request(op.kind().cmd(), 0).describe(op::toString);
        switch (op.kind()) {
            case ADD_SERVICE, EDIT_SERVICE -> service(b, op.service(), true);
            case DELETE_SERVICE -> service(b, op.service(), false);
            case ADD_DEST, EDIT_DEST -> {
                service(b, op.service(), false);
                dest(b, op.dest(), true);
            }
            case DELETE_DEST -> {
                service(b, op.service(), false);
                dest(b, op.dest(), false);
            }
            default -> throw new IllegalStateException();
        }
        return b;
    }

    /** IPVS_CMD_ATTR_SERVICE: the key, and with {@code full} the settings. */
    public static void service(NlMessage.Builder b, Service s, boolean full) {
        int n = b.beginNested(Ipvs.CMD_ATTR_SERVICE | Netlink.NLA_F_NESTED);
        serviceKey(b, s.key());
        if (full) {
            b.string(Ipvs.SVC_ATTR_SCHED_NAME, s.scheduler());
            if (s.peName() != null) {
                b.string(Ipvs.SVC_ATTR_PE_NAME, s.peName());
            }
            byte[] flags = new byte[8];
            putU32(flags, 0, s.flags());
            putU32(flags, 4, 0xffffffffL);
            b.bytes(Ipvs.SVC_ATTR_FLAGS, flags);
            b.u32(Ipvs.SVC_ATTR_TIMEOUT, s.timeout());
            if (s.key().isIpv6()) {
                b.u32(Ipvs.SVC_ATTR_NETMASK, s.netmask());
            } else {
                b.u32be(Ipvs.SVC_ATTR_NETMASK, s.netmask());
            }
        }
        b.endNested(n);
    }

    /** IPVS_CMD_ATTR_SERVICE with only the key (for zero, get, list destinations). */
    public static void serviceKeyOnly(NlMessage.Builder b, ServiceKey k) {
        int n = b.beginNested(Ipvs.CMD_ATTR_SERVICE | Netlink.NLA_F_NESTED);
        serviceKey(b, k);
        b.endNested(n);
    }

    private static void serviceKey(NlMessage.Builder b, ServiceKey k) {
        b.u16(Ipvs.SVC_ATTR_AF, k.af());
        if (k.isFwmark()) {
            b.u32(Ipvs.SVC_ATTR_FWMARK, k.fwmark());
        } else {
            b.u16(Ipvs.SVC_ATTR_PROTOCOL, k.protocol().number());
            b.bytes(Ipvs.SVC_ATTR_ADDR, k.address().getAddress());
            b.u16be(Ipvs.SVC_ATTR_PORT, k.port());
        }
    }

    /** IPVS_CMD_ATTR_DEST: address and port, and with {@code full} the settings. */
    public static void dest(NlMessage.Builder b, Destination d, boolean full) {
        int n = b.beginNested(Ipvs.CMD_ATTR_DEST | Netlink.NLA_F_NESTED);
        b.bytes(Ipvs.DEST_ATTR_ADDR, d.address().getAddress());
        b.u16be(Ipvs.DEST_ATTR_PORT, d.port());
        b.u16(Ipvs.DEST_ATTR_ADDR_FAMILY, d.af());
        if (full) {
            b.u32(Ipvs.DEST_ATTR_FWD_METHOD, d.forwarding().flag());
            b.u32(Ipvs.DEST_ATTR_WEIGHT, d.weight() & 0xffffffffL);
            b.u32(Ipvs.DEST_ATTR_U_THRESH, d.upperThreshold());
            b.u32(Ipvs.DEST_ATTR_L_THRESH, d.lowerThreshold());
            if (d.forwarding() == Forwarding.TUNNEL) {
                b.u8(Ipvs.DEST_ATTR_TUN_TYPE, d.tunnelType().ordinal());
                b.u16be(Ipvs.DEST_ATTR_TUN_PORT, d.tunnelPort());
                b.u16(Ipvs.DEST_ATTR_TUN_FLAGS, d.tunnelFlags());
            }
        }
        b.endNested(n);
    }

    public NlMessage.Builder setTimeouts(IpvsTimeouts t) {
        return request(Ipvs.CMD_SET_CONFIG, 0).u32(Ipvs.CMD_ATTR_TIMEOUT_TCP, t.tcp())
                .u32(Ipvs.CMD_ATTR_TIMEOUT_TCP_FIN, t.tcpFin()).u32(Ipvs.CMD_ATTR_TIMEOUT_UDP, t.udp())
                .describe("--set " + t.tcp() + " " + t.tcpFin() + " " + t.udp());
    }

    public NlMessage.Builder startDaemon(SyncDaemon d) {
        NlMessage.Builder b = request(Ipvs.CMD_NEW_DAEMON, 0)
                .describe("--start-daemon " + d.stateName() + " --mcast-interface " + d.interfaceName() + " --syncid "
                        + d.syncId());
        int n = b.beginNested(Ipvs.CMD_ATTR_DAEMON | Netlink.NLA_F_NESTED);
        b.u32(Ipvs.DAEMON_ATTR_STATE, d.state());
        b.string(Ipvs.DAEMON_ATTR_MCAST_IFN, d.interfaceName());
        b.u32(Ipvs.DAEMON_ATTR_SYNC_ID, d.syncId());
        if (d.maxLength() > 0) {
            b.u16(Ipvs.DAEMON_ATTR_SYNC_MAXLEN, d.maxLength());
        }
        if (d.group() instanceof Inet4Address) {
            b.bytes(Ipvs.DAEMON_ATTR_MCAST_GROUP, d.group().getAddress());
        } else if (d.group() != null) {
            b.bytes(Ipvs.DAEMON_ATTR_MCAST_GROUP6, d.group().getAddress());
        }
        if (d.port() > 0) {
            b.u16(Ipvs.DAEMON_ATTR_MCAST_PORT, d.port());
        }
        if (d.ttl() > 0) {
            b.u8(Ipvs.DAEMON_ATTR_MCAST_TTL, d.ttl());
        }
        b.endNested(n);
        return b;
    }

    public NlMessage.Builder stopDaemon(int state) {
        NlMessage.Builder b = request(Ipvs.CMD_DEL_DAEMON, 0).describe("--stop-daemon "
                + (state == Ipvs.STATE_MASTER ? "master" : "backup"));
        int n = b.beginNested(Ipvs.CMD_ATTR_DAEMON | Netlink.NLA_F_NESTED);
        b.u32(Ipvs.DAEMON_ATTR_STATE, state);
        b.endNested(n);
        return b;
    }

    private static void putU32(byte[] a, int off, long v) {
        a[off] = (byte) v;
        a[off + 1] = (byte) (v >>> 8);
        a[off + 2] = (byte) (v >>> 16);
        a[off + 3] = (byte) (v >>> 24);
    }

    // ---- decoding ------------------------------------------------------------------------------------------------

    /** A service from a GET_SERVICE answer (attribute IPVS_CMD_ATTR_SERVICE). */
    public static ServiceEntry parseService(NlMessage m) {
        NlAttrs s = m.attrs(Netlink.GENL_HDRLEN).nested(Ipvs.CMD_ATTR_SERVICE);
        int af = s.require(Ipvs.SVC_ATTR_AF, "IPVS_SVC_ATTR_AF").u16();
        ServiceKey key;
        long fwmark = s.u32(Ipvs.SVC_ATTR_FWMARK, 0);
        if (fwmark != 0) {
            key = new ServiceKey(af, null, null, 0, fwmark);
        } else {
            Protocol p = Protocol.of(s.require(Ipvs.SVC_ATTR_PROTOCOL, "IPVS_SVC_ATTR_PROTOCOL").u16());
            InetAddress a = Inet.fromKernel(s.require(Ipvs.SVC_ATTR_ADDR, "IPVS_SVC_ATTR_ADDR").bytes(), af);
            key = new ServiceKey(af, p, a, s.require(Ipvs.SVC_ATTR_PORT, "IPVS_SVC_ATTR_PORT").u16be(), 0);
        }
        NlAttr fl = s.get(Ipvs.SVC_ATTR_FLAGS);
        int flags = fl == null ? 0 : fl.s32();
        NlAttr nm = s.get(Ipvs.SVC_ATTR_NETMASK);
        long netmask = nm == null ? Service.defaultNetmask(af) : af == Ipvs.AF_INET6 ? nm.u32() : nm.u32be();
        Service vs = new Service(key, s.string(Ipvs.SVC_ATTR_SCHED_NAME, ""), flags,
                s.u32(Ipvs.SVC_ATTR_TIMEOUT, 0), netmask, s.string(Ipvs.SVC_ATTR_PE_NAME, null));
        return new ServiceEntry(vs, stats(s, Ipvs.SVC_ATTR_STATS, Ipvs.SVC_ATTR_STATS64),
                stats(s, Ipvs.SVC_ATTR_STATS, -1));
    }

    /** A destination from a GET_DEST answer; {@code serviceAf} is used when the kernel omits the family. */
    public static DestEntry parseDest(NlMessage m, int serviceAf) {
        NlAttrs d = m.attrs(Netlink.GENL_HDRLEN).nested(Ipvs.CMD_ATTR_DEST);
        int af = d.u16(Ipvs.DEST_ATTR_ADDR_FAMILY, serviceAf);
        InetAddress a = Inet.fromKernel(d.require(Ipvs.DEST_ATTR_ADDR, "IPVS_DEST_ATTR_ADDR").bytes(), af);
        NlAttr tp = d.get(Ipvs.DEST_ATTR_TUN_PORT);
        Destination rs = new Destination(a, d.require(Ipvs.DEST_ATTR_PORT, "IPVS_DEST_ATTR_PORT").u16be(),
                Forwarding.of(d.u32(Ipvs.DEST_ATTR_FWD_METHOD, 0)), (int) d.u32(Ipvs.DEST_ATTR_WEIGHT, 0),
                d.u32(Ipvs.DEST_ATTR_U_THRESH, 0), d.u32(Ipvs.DEST_ATTR_L_THRESH, 0),
                TunnelType.of(d.u8(Ipvs.DEST_ATTR_TUN_TYPE, 0)), tp == null ? 0 : tp.u16be(),
                d.u16(Ipvs.DEST_ATTR_TUN_FLAGS, 0));
        return new DestEntry(rs, d.u32(Ipvs.DEST_ATTR_ACTIVE_CONNS, 0), d.u32(Ipvs.DEST_ATTR_INACT_CONNS, 0),
                d.u32(Ipvs.DEST_ATTR_PERSIST_CONNS, 0), stats(d, Ipvs.DEST_ATTR_STATS, Ipvs.DEST_ATTR_STATS64),
                stats(d, Ipvs.DEST_ATTR_STATS, -1));
    }

    /** 64-bit counters when present (attr64 ≥ 0), else the 32-bit ones. */
    static IpvsStats stats(NlAttrs parent, int attr32, int attr64) {
        NlAttr s64 = attr64 < 0 ? null : parent.get(attr64);
        boolean wide = s64 != null;
        NlAttrs s = wide ? s64.nested() : parent.nested(attr32);
        if (s.size() == 0) {
            return IpvsStats.ZERO;
        }
        return new IpvsStats(num(s, Ipvs.STATS_ATTR_CONNS, wide), num(s, Ipvs.STATS_ATTR_INPKTS, wide),
                num(s, Ipvs.STATS_ATTR_OUTPKTS, wide), s.u64(Ipvs.STATS_ATTR_INBYTES, 0),
                s.u64(Ipvs.STATS_ATTR_OUTBYTES, 0), num(s, Ipvs.STATS_ATTR_CPS, wide),
                num(s, Ipvs.STATS_ATTR_INPPS, wide), num(s, Ipvs.STATS_ATTR_OUTPPS, wide),
                num(s, Ipvs.STATS_ATTR_INBPS, wide), num(s, Ipvs.STATS_ATTR_OUTBPS, wide));
    }

    private static long num(NlAttrs s, int type, boolean wide) {
        NlAttr a = s.get(type);
        if (a == null) {
            return 0;
        }
        return wide || a.length() >= 8 ? a.u64() : a.u32();
    }

    public static IpvsInfo parseInfo(NlMessage m) {
        NlAttrs a = m.attrs(Netlink.GENL_HDRLEN);
        return new IpvsInfo(a.u32(Ipvs.INFO_ATTR_VERSION, 0), a.u32(Ipvs.INFO_ATTR_CONN_TAB_SIZE, 0));
    }

    public static IpvsTimeouts parseTimeouts(NlMessage m) {
        NlAttrs a = m.attrs(Netlink.GENL_HDRLEN);
        return new IpvsTimeouts(a.u32(Ipvs.CMD_ATTR_TIMEOUT_TCP, 0), a.u32(Ipvs.CMD_ATTR_TIMEOUT_TCP_FIN, 0),
                a.u32(Ipvs.CMD_ATTR_TIMEOUT_UDP, 0));
    }

    public static SyncDaemon parseDaemon(NlMessage m) {
        NlAttrs d = m.attrs(Netlink.GENL_HDRLEN).nested(Ipvs.CMD_ATTR_DAEMON);
        InetAddress group = null;
        NlAttr g4 = d.get(Ipvs.DAEMON_ATTR_MCAST_GROUP);
        NlAttr g6 = d.get(Ipvs.DAEMON_ATTR_MCAST_GROUP6);
        if (g4 != null && g4.length() >= 4) {
            group = Inet.fromKernel(g4.bytes(), Ipvs.AF_INET);
        } else if (g6 != null && g6.length() >= 16) {
            group = Inet.fromKernel(g6.bytes(), Ipvs.AF_INET6);
        }
        return new SyncDaemon((int) d.u32(Ipvs.DAEMON_ATTR_STATE, 0), d.string(Ipvs.DAEMON_ATTR_MCAST_IFN, ""),
                (int) d.u32(Ipvs.DAEMON_ATTR_SYNC_ID, 0), d.u16(Ipvs.DAEMON_ATTR_SYNC_MAXLEN, 0), group,
                d.u16(Ipvs.DAEMON_ATTR_MCAST_PORT, 0), d.u8(Ipvs.DAEMON_ATTR_MCAST_TTL, 0));
    }
}
