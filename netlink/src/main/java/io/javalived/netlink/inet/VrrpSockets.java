package io.javalived.netlink.inet;

import io.javalived.netlink.ffi.NativeException;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Opens the two raw sockets a VRRP instance uses: a send socket (protocol 112, TTL/hop limit 255, TOS 0xc0, source
 * bound to the instance's address, multicast out of the interface, no loopback) and a receive socket (bound to the
 * interface, joined to 224.0.0.18 / ff02::12 there, or plain for unicast peers).
 */
public final class VrrpSockets {
    public static final InetAddress MCAST_V4 = literal("224.0.0.18");
    public static final InetAddress MCAST_V6 = literal("ff02::12");
    /** VRRP's checksum offset inside the VRRP header (kernel fills/verifies it for IPv6). */
    public static final int VRRP_CHECKSUM_OFFSET = 6;

    private VrrpSockets() {
    }

    /** The send socket. {@code source} may be null (kernel picks it). */
    public static RawIpSocket openSender(boolean ipv6, String ifname, int ifindex, InetAddress source)
            throws NativeException {
        RawIpSocket s = RawIpSocket.open(ipv6, RawIpSocket.IPPROTO_VRRP, "VRRP send socket on " + ifname);
        try {
            s.dropAllIncoming();
            s.bindToDevice(ifname);
            if (source != null) {
                s.bind(source, ipv6 && source.isLinkLocalAddress() ? ifindex : 0);
            }
            s.setMulticastInterface(ifindex);
            s.setHopLimit(255);
            s.setTrafficClass(0xc0);
            s.setMulticastLoop(false);
            if (ipv6) {
                s.setIpv6Checksum(VRRP_CHECKSUM_OFFSET);
            }
            return s;
        } catch (NativeException e) {
            s.close();
            throw e;
        }
    }

    /** The receive socket; joins the VRRP group on the interface unless {@code unicast}. */
    public static RawIpSocket openReceiver(boolean ipv6, String ifname, int ifindex, boolean unicast)
            throws NativeException {
        RawIpSocket s = RawIpSocket.open(ipv6, RawIpSocket.IPPROTO_VRRP, "VRRP receive socket on " + ifname);
        try {
            s.bindToDevice(ifname);
            s.setMulticastAll(false);
            if (ipv6) {
                s.requestIpv6Ancillary();
                s.setIpv6Checksum(VRRP_CHECKSUM_OFFSET);
            }
            if (!unicast) {
                s.joinGroup(ipv6 ? MCAST_V6 : MCAST_V4, ifindex);
            }
            return s;
        } catch (NativeException e) {
            s.close();
            throw e;
        }
    }

    static InetAddress literal(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
