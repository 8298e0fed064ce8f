package io.javalived.vrrp.packet;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;

/**
 * Packets captured (tcpdump in a private namespace) from Debian's keepalived 2.2.7: interface address 10.77.0.1 /
 * fe80::7c1e:5fff:fed0:6adb, VIPs 10.77.0.100, 10.77.0.101, fe80::100, 2001:db8::100.
 */
final class KeepalivedVectors {
    private KeepalivedVectors() {}

    /** v2, vrid 51, prio 150, auth PASS "secret12" (auth_pass truncated to 8), advert_int 1, two VIPs. */
    static final String V2_PASS = "45c0002c00010000ff70d0400a4d0001e0000012"
            + "213396020101c4e70a4d00640a4d00657365637265743132";
    /** Same instance on shutdown: priority 0. */
    static final String V2_PASS_PRIO0 = "45c0002c00020000ff70d03f0a4d0001e0000012"
            + "2133000201015ae80a4d00640a4d00657365637265743132";
    /** v3, vrid 52, prio 100, advert_int 0.5 (50 cs), one VIP, checksum with the IPv4 pseudo-header. */
    static final String V3_IPV4 = "45c0002000010000ff70d04c0a4d0001e0000012"
            + "313464010032750a0a4d0064";
    /** Same instance on shutdown: priority 0. */
    static final String V3_IPV4_PRIO0 = "45c0002000080000ff70d0450a4d0001e0000012"
            + "313400010032d90a0a4d0064";
    /** IPv6 v3 payload (after the 40-byte IPv6 header): vrid 53, prio 90, 100 cs, VIPs fe80::100 2001:db8::100. */
    static final String V3_IPV6 = "31355a0200640232fe80000000000000000000000000010020010db8000000000000000000000100";
    static final String V3_IPV6_PRIO0 = "3135000200645c32fe80000000000000000000000000010020010db8000000000000000000000100";
    static final String V3_IPV6_SRC = "fe80::7c1e:5fff:fed0:6adb";
    static final String V3_IPV6_DST = "ff02::12";

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
