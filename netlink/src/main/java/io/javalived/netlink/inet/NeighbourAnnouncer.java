package io.javalived.netlink.inet;

import io.javalived.netlink.ffi.NativeException;
import java.io.Closeable;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Announces virtual addresses on one interface: gratuitous ARP over AF_PACKET for IPv4, unsolicited neighbour
 * advertisements to ff02::1 (hop limit 255) over a raw ICMPv6 socket for IPv6. Sockets are opened lazily.
 */
public final class NeighbourAnnouncer implements Closeable {
    private static final InetAddress ALL_NODES = VrrpSockets.literal("ff02::1");
    private final String ifname;
    private final int ifindex;
    private PacketSocket packet;
    private RawIpSocket icmp6;

    public NeighbourAnnouncer(String ifname, int ifindex) {
        this.ifname = ifname;
        this.ifindex = ifindex;
    }

    public String ifname() {
        return ifname;
    }

    public int ifindex() {
        return ifindex;
    }

    /** Opens the socket {@code vip}'s family needs now rather than at the first announcement. */
    public synchronized void prepare(InetAddress vip) throws NativeException {
        if (vip instanceof Inet4Address) {
            if (packet == null) {
                packet = PacketSocket.open();
            }
        } else {
            icmp6();
        }
    }

    /** One gratuitous ARP (IPv4) or unsolicited NA (IPv6) for {@code vip}, with source MAC {@code mac}. */
    public synchronized void announce(InetAddress vip, byte[] mac, boolean router) throws NativeException {
        announce(prepare(vip, mac, router));
    }

    /**
     * One announcement of one address, built ahead of time: the gratuitous ARP frame and its link-layer
     * destination, or the neighbour advertisement. Valid as long as the interface's index and MAC address are.
     */
    public static final class Announcement {
        private final InetAddress vip;
        private final byte[] bytes;
        private final byte[] sll; // null for IPv6

        private Announcement(InetAddress vip, byte[] bytes, byte[] sll) {
            this.vip = vip;
            this.bytes = bytes;
            this.sll = sll;
        }

        public InetAddress address() {
            return vip;
        }
    }

    /**
     * Builds the announcement of {@code vip} with source MAC {@code mac} and opens the socket it needs, so that
     * {@link #announce(Announcement)} is one system call.
     */
    public synchronized Announcement prepare(InetAddress vip, byte[] mac, boolean router) throws NativeException {
        prepare(vip);
        if (vip instanceof Inet4Address v4) {
            byte[] frame = Frames.gratuitousArp(mac, v4);
            return new Announcement(vip, frame, PacketSocket.destination(frame, ifindex));
        }
        return new Announcement(vip, Frames.neighbourAdvert(mac, (Inet6Address) vip, router), null);
    }

    /** Sends a prepared announcement (made by this announcer). */
    public synchronized void announce(Announcement a) throws NativeException {
        if (a.sll != null) {
            if (packet == null) {
                packet = PacketSocket.open();
            }
            packet.send(a.bytes, a.sll, ifname);
        } else {
            icmp6().send(a.bytes, a.bytes.length, ALL_NODES, ifindex);
        }
    }

    private RawIpSocket icmp6() throws NativeException {
        {
            if (icmp6 == null) {
                RawIpSocket s = RawIpSocket.open(true, RawIpSocket.IPPROTO_ICMPV6, "ICMPv6 NA socket on " + ifname);
                try {
                    s.blockAllIcmp6();
                    s.bindToDevice(ifname);
                    s.setMulticastInterface(ifindex);
                    s.setHopLimit(255);
                    s.setMulticastLoop(false);
                } catch (NativeException e) {
                    s.close();
                    throw e;
                }
                icmp6 = s;
            }
            return icmp6;
        }
    }

    @Override
    public synchronized void close() {
        if (packet != null) {
            packet.close();
            packet = null;
        }
        if (icmp6 != null) {
            icmp6.close();
            icmp6 = null;
        }
    }
}
