package io.javalived.ipvs;

import io.javalived.inet.Protocol;
import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.netlink.Netlink;
import io.javalived.netlink.NlMessage;
import java.net.InetAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** IPVS requests byte for byte against hand-written messages (layouts from linux/ip_vs.h), and answer parsing. */
class IpvsCodecTest {
    private static final HexFormat HEX = HexFormat.of();
    private final IpvsCodec codec = new IpvsCodec(0x25);

    private static String hex(String s) {
        return s.replace(" ", "");
    }

    @Test
    void newServiceIpv4() throws Exception {
        Service vs = Service.of(ServiceKey.of(Protocol.TCP, InetAddress.getByName("10.0.0.1"), 80), "wlc");
        NlMessage.Builder b = codec.op(IpvsOp.addService(vs));
        assertThat(b.description()).isEqualTo("-A -t 10.0.0.1:80 -s wlc");
        assertThat(HEX.formatHex(b.toBytes(1, 0))).isEqualTo(hex(
                "5c000000 2500 0100 01000000 00000000" // nlmsghdr: len 92, family 0x25, REQUEST
                        + "01010000" // genl: IPVS_CMD_NEW_SERVICE, version 1
                        + "4800 0180" // IPVS_CMD_ATTR_SERVICE | NLA_F_NESTED, len 72
                        + "0600 0100 0200 0000" // AF = AF_INET
                        + "0600 0200 0600 0000" // PROTOCOL = 6
                        + "0800 0300 0a000001" // ADDR
                        + "0600 0400 0050 0000" // PORT (network order)
                        + "0800 0600 776c6300" // SCHED_NAME "wlc"
                        + "0c00 0700 00000000 ffffffff" // FLAGS {flags 0, mask ~0}
                        + "0800 0800 00000000" // TIMEOUT
                        + "0800 0900 ffffffff")); // NETMASK 255.255.255.255
    }

    @Test
    void newDestNat() throws Exception {
        Service vs = Service.of(ServiceKey.of(Protocol.TCP, InetAddress.getByName("10.0.0.1"), 80), "wlc");
        Destination rs = Destination.of(InetAddress.getByName("10.0.0.2"), 8080, Forwarding.MASQ, 1);
        NlMessage.Builder b = codec.op(IpvsOp.addDest(vs, rs));
        assertThat(b.description()).isEqualTo("-a -t 10.0.0.1:80 -r 10.0.0.2:8080 -m -w 1");
        assertThat(HEX.formatHex(b.toBytes(2, 0))).isEqualTo(hex(
                "74000000 2500 0100 02000000 00000000"
                        + "05010000" // IPVS_CMD_NEW_DEST
                        + "2400 0180" // service key only
                        + "0600 0100 0200 0000" + "0600 0200 0600 0000" + "0800 0300 0a000001" + "0600 0400 0050 0000"
                        + "3c00 0280" // IPVS_CMD_ATTR_DEST | NLA_F_NESTED, len 60
                        + "0800 0100 0a000002" // ADDR
                        + "0600 0200 1f90 0000" // PORT 8080
                        + "0600 0b00 0200 0000" // ADDR_FAMILY
                        + "0800 0300 00000000" // FWD_METHOD masq
                        + "0800 0400 01000000" // WEIGHT
                        + "0800 0500 00000000" // U_THRESH
                        + "0800 0600 00000000")); // L_THRESH
    }

    @Test
    void fwmarkIpv6PersistentService() {
        Service vs = Service.of(ServiceKey.fwmark(7, true), "rr").withPersistence(300, 64);
        NlMessage.Builder b = codec.op(IpvsOp.addService(vs));
        assertThat(b.description()).isEqualTo("-A -f 7 -6 -s rr -p 300 -M 64");
        assertThat(HEX.formatHex(b.toBytes(3, 0))).isEqualTo(hex(
                "4c000000 2500 0100 03000000 00000000 01010000"
                        + "3800 0180"
                        + "0600 0100 0a00 0000" // AF_INET6
                        + "0800 0500 07000000" // FWMARK
                        + "0700 0600 72720000" // "rr"
                        + "0c00 0700 01000000 ffffffff" // PERSISTENT
                        + "0800 0800 2c010000" // 300 s
                        + "0800 0900 40000000")); // prefix length 64, host order
    }

    @Test
    void deleteDestSendsKeysOnlyAndTunnelAttrsOnlyForTunnels() throws Exception {
        Service vs = Service.of(ServiceKey.of(Protocol.UDP, InetAddress.getByName("2001:db8::1"), 53), "rr");
        Destination tun = Destination.of(InetAddress.getByName("10.0.0.9"), 53, Forwarding.TUNNEL, 2)
                .withTunnel(TunnelType.GUE, 6080, Ipvs.TUNNEL_ENCAP_FLAG_CSUM);
        NlMessage del = NlMessage.of(codec.op(IpvsOp.deleteDest(vs, tun)).toBytes(1, 0));
        var d = del.attrs(Netlink.GENL_HDRLEN).nested(Ipvs.CMD_ATTR_DEST);
        assertThat(d.size()).isEqualTo(3);
        assertThat(del.attrs(4).nested(Ipvs.CMD_ATTR_SERVICE).get(Ipvs.SVC_ATTR_ADDR).length()).isEqualTo(16);
        NlMessage add = NlMessage.of(codec.op(IpvsOp.addDest(vs, tun)).toBytes(1, 0));
        var a = add.attrs(Netlink.GENL_HDRLEN).nested(Ipvs.CMD_ATTR_DEST);
        assertThat(a.get(Ipvs.DEST_ATTR_TUN_TYPE).u8()).isEqualTo(1);
        assertThat(a.get(Ipvs.DEST_ATTR_TUN_PORT).u16be()).isEqualTo(6080);
        assertThat(a.get(Ipvs.DEST_ATTR_TUN_FLAGS).u16()).isEqualTo(1);
        assertThat(a.get(Ipvs.DEST_ATTR_ADDR_FAMILY).u16()).isEqualTo(Ipvs.AF_INET);
    }

    @Test
    void parsesServiceAndDestAnswersAsTheKernelWritesThem() throws Exception {
        // the kernel sends 16-byte addresses for both families, flags with the HASHED bit, and STATS + STATS64
        NlMessage.Builder b = NlMessage.genl(0x25, Netlink.NLM_F_MULTI, Ipvs.CMD_NEW_SERVICE, 1);
        int s = b.beginNested(Ipvs.CMD_ATTR_SERVICE);
        b.u16(Ipvs.SVC_ATTR_AF, 2).u16(Ipvs.SVC_ATTR_PROTOCOL, 17)
                .bytes(Ipvs.SVC_ATTR_ADDR, HEX.parseHex("0a0000010000000000000000000000000"
                        .substring(0, 32)))
                .u16be(Ipvs.SVC_ATTR_PORT, 53).string(Ipvs.SVC_ATTR_SCHED_NAME, "sh")
                .bytes(Ipvs.SVC_ATTR_FLAGS, HEX.parseHex("1b000000ffffffff")).u32(Ipvs.SVC_ATTR_TIMEOUT, 300)
                .u32be(Ipvs.SVC_ATTR_NETMASK, 0xffffff00L).string(Ipvs.SVC_ATTR_PE_NAME, "sip");
        int st = b.beginNested(Ipvs.SVC_ATTR_STATS);
        b.u32(Ipvs.STATS_ATTR_CONNS, 1).u64(Ipvs.STATS_ATTR_INBYTES, 5);
        b.endNested(st);
        int st64 = b.beginNested(Ipvs.SVC_ATTR_STATS64);
        b.u64(Ipvs.STATS_ATTR_CONNS, 5_000_000_000L).u64(Ipvs.STATS_ATTR_INPKTS, 2).u64(Ipvs.STATS_ATTR_OUTPKTS, 3)
                .u64(Ipvs.STATS_ATTR_INBYTES, 4).u64(Ipvs.STATS_ATTR_OUTBYTES, 5).u64(Ipvs.STATS_ATTR_CPS, 6)
                .u64(Ipvs.STATS_ATTR_INPPS, 7).u64(Ipvs.STATS_ATTR_OUTPPS, 8).u64(Ipvs.STATS_ATTR_INBPS, 9)
                .u64(Ipvs.STATS_ATTR_OUTBPS, 10);
        b.endNested(st64);
        b.endNested(s);
        ServiceEntry e = IpvsCodec.parseService(NlMessage.of(b.toBytes(9, 0)));
        Service v = e.service();
        assertThat(v.key()).isEqualTo(ServiceKey.of(Protocol.UDP, InetAddress.getByName("10.0.0.1"), 53));
        assertThat(v.scheduler()).isEqualTo("sh");
        assertThat(v.flags()).isEqualTo(Ipvs.SVC_F_PERSISTENT | Ipvs.SVC_F_SCHED1 | Ipvs.SVC_F_SCHED2); // HASHED dropped
        assertThat(v.timeout()).isEqualTo(300);
        assertThat(v.netmask()).isEqualTo(0xffffff00L);
        assertThat(v.peName()).isEqualTo("sip");
        assertThat(e.stats()).isEqualTo(new IpvsStats(5_000_000_000L, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        assertThat(e.stats32()).isEqualTo(new IpvsStats(1, 0, 0, 5, 0, 0, 0, 0, 0, 0));

        NlMessage.Builder db = NlMessage.genl(0x25, Netlink.NLM_F_MULTI, Ipvs.CMD_NEW_DEST, 1);
        int dn = db.beginNested(Ipvs.CMD_ATTR_DEST);
        db.bytes(Ipvs.DEST_ATTR_ADDR, InetAddress.getByName("2001:db8::2").getAddress()).u16be(Ipvs.DEST_ATTR_PORT, 80)
                .u32(Ipvs.DEST_ATTR_FWD_METHOD, 2).u32(Ipvs.DEST_ATTR_WEIGHT, 7).u32(Ipvs.DEST_ATTR_U_THRESH, 100)
                .u32(Ipvs.DEST_ATTR_L_THRESH, 10).u32(Ipvs.DEST_ATTR_ACTIVE_CONNS, 3)
                .u32(Ipvs.DEST_ATTR_INACT_CONNS, 4).u32(Ipvs.DEST_ATTR_PERSIST_CONNS, 5)
                .u16(Ipvs.DEST_ATTR_ADDR_FAMILY, 10).u8(Ipvs.DEST_ATTR_TUN_TYPE, 2).u16be(Ipvs.DEST_ATTR_TUN_PORT, 0)
                .u16(Ipvs.DEST_ATTR_TUN_FLAGS, 2);
        db.endNested(dn);
        DestEntry d = IpvsCodec.parseDest(NlMessage.of(db.toBytes(9, 0)), Ipvs.AF_INET6);
        assertThat(d.server()).isEqualTo(Destination.of(InetAddress.getByName("2001:db8::2"), 80, Forwarding.TUNNEL, 7)
                .withThresholds(100, 10).withTunnel(TunnelType.GRE, 0, Ipvs.TUNNEL_ENCAP_FLAG_REMCSUM));
        assertThat(d.activeConns()).isEqualTo(3);
        assertThat(d.inactConns()).isEqualTo(4);
        assertThat(d.persistConns()).isEqualTo(5);
        assertThat(d.stats()).isEqualTo(IpvsStats.ZERO);
    }

    @Test
    void setConfigCarriesTheThreeTimeouts() {
        NlMessage.Builder b = codec.setTimeouts(new IpvsTimeouts(7200, 60, 0));
        assertThat(b.description()).isEqualTo("--set 7200 60 0");
        assertThat(HEX.formatHex(b.toBytes(1, 0))).isEqualTo(hex(
                "2c000000 2500 0100 01000000 00000000" // nlmsghdr: len 44
                        + "0c010000" // IPVS_CMD_SET_CONFIG
                        + "0800 0400 201c0000" // TIMEOUT_TCP 7200
                        + "0800 0500 3c000000" // TIMEOUT_TCP_FIN 60
                        + "0800 0600 00000000")); // TIMEOUT_UDP 0 = unchanged
        NlMessage answer = NlMessage.of(NlMessage.genl(0x25, 0, Ipvs.CMD_SET_CONFIG, 1)
                .u32(Ipvs.CMD_ATTR_TIMEOUT_TCP, 900).u32(Ipvs.CMD_ATTR_TIMEOUT_TCP_FIN, 120)
                .u32(Ipvs.CMD_ATTR_TIMEOUT_UDP, 300).toBytes(2, 0));
        assertThat(IpvsCodec.parseTimeouts(answer)).isEqualTo(new IpvsTimeouts(900, 120, 300));
    }

    @Test
    void newDaemonCarriesStateInterfaceIdAndTheOptionalAttributes() throws Exception {
        NlMessage.Builder b = codec.startDaemon(SyncDaemon.of(Ipvs.STATE_BACKUP, "eth1", 5));
        assertThat(b.description()).isEqualTo("--start-daemon backup --mcast-interface eth1 --syncid 5");
        assertThat(HEX.formatHex(b.toBytes(1, 0))).isEqualTo(hex(
                "34000000 2500 0100 01000000 00000000" // nlmsghdr: len 52
                        + "09010000" // IPVS_CMD_NEW_DAEMON
                        + "2000 0380" // IPVS_CMD_ATTR_DAEMON | NLA_F_NESTED, len 32
                        + "0800 0100 02000000" // STATE = IP_VS_STATE_BACKUP
                        + "0900 0200 65746831 00000000" // MCAST_IFN "eth1\0" (padded)
                        + "0800 0300 05000000")); // SYNC_ID
        SyncDaemon full = new SyncDaemon(Ipvs.STATE_MASTER, "eth1", 7, 1400, InetAddress.getByName("239.1.2.3"),
                8850, 2);
        var a = NlMessage.of(codec.startDaemon(full).toBytes(1, 0)).attrs(Netlink.GENL_HDRLEN)
                .nested(Ipvs.CMD_ATTR_DAEMON);
        assertThat(a.get(Ipvs.DAEMON_ATTR_SYNC_MAXLEN).u16()).isEqualTo(1400);
        assertThat(a.get(Ipvs.DAEMON_ATTR_MCAST_GROUP).bytes()).containsExactly(239, 1, 2, 3);
        assertThat(a.get(Ipvs.DAEMON_ATTR_MCAST_PORT).u16()).isEqualTo(8850); // NLA_U16, host order
        assertThat(a.get(Ipvs.DAEMON_ATTR_MCAST_TTL).u8()).isEqualTo(2);
        // the kernel's answer to GET_DAEMON is the same nest: read back equal
        NlMessage.Builder ans = NlMessage.genl(0x25, Netlink.NLM_F_MULTI, Ipvs.CMD_NEW_DAEMON, 1);
        int n = ans.beginNested(Ipvs.CMD_ATTR_DAEMON);
        ans.u32(Ipvs.DAEMON_ATTR_STATE, Ipvs.STATE_MASTER).string(Ipvs.DAEMON_ATTR_MCAST_IFN, "eth1")
                .u32(Ipvs.DAEMON_ATTR_SYNC_ID, 7).u16(Ipvs.DAEMON_ATTR_SYNC_MAXLEN, 1400)
                .u16(Ipvs.DAEMON_ATTR_MCAST_PORT, 8850).u8(Ipvs.DAEMON_ATTR_MCAST_TTL, 2)
                .bytes(Ipvs.DAEMON_ATTR_MCAST_GROUP, InetAddress.getByName("239.1.2.3").getAddress());
        ans.endNested(n);
        assertThat(IpvsCodec.parseDaemon(NlMessage.of(ans.toBytes(3, 0)))).isEqualTo(full);
    }

    @Test
    void delDaemonNamesOnlyTheState() {
        NlMessage.Builder b = codec.stopDaemon(Ipvs.STATE_MASTER);
        assertThat(b.description()).isEqualTo("--stop-daemon master");
        assertThat(HEX.formatHex(b.toBytes(1, 0))).isEqualTo(hex(
                "20000000 2500 0100 01000000 00000000" // nlmsghdr: len 32
                        + "0a010000" // IPVS_CMD_DEL_DAEMON
                        + "0c00 0380" // IPVS_CMD_ATTR_DAEMON | NLA_F_NESTED
                        + "0800 0100 01000000")); // STATE = IP_VS_STATE_MASTER
    }
}
