package io.javalived.netlink.inet;

import io.javalived.netlink.ffi.LibC;
import io.javalived.netlink.ffi.NativeException;
import java.io.Closeable;

/** A send-only AF_PACKET/SOCK_RAW socket: whole Ethernet frames out of one interface (gratuitous ARP). */
public final class PacketSocket implements Closeable {
    private final int fd;

    private PacketSocket(int fd) {
        this.fd = fd;
    }

    /** Protocol 0: the socket receives nothing, it only sends. */
    public static PacketSocket open() throws NativeException {
        int fd = LibC.INSTANCE.socket(LibC.AF_PACKET, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new NativeException("socket(AF_PACKET, SOCK_RAW)", LibC.errno(),
                    "gratuitous ARP; needs root or CAP_NET_RAW");
        }
        return new PacketSocket(fd);
    }

    /** Sends a complete Ethernet frame (destination MAC in bytes 0..5) out of {@code ifindex}. */
    public void send(byte[] frame, int ifindex, String ifname) throws NativeException {
        send(frame, destination(frame, ifindex), ifname);
    }

    /**
     * The link-layer address (struct sockaddr_ll) that sends {@code frame} out of {@code ifindex}: its ethertype and
     * destination MAC. Built once, it serves every later {@link #send(byte[], byte[], String)} of the same frame.
     */
    public static byte[] destination(byte[] frame, int ifindex) {
        byte[] sll = new byte[20];
        sll[0] = (byte) LibC.AF_PACKET;
        sll[2] = frame[12]; // sll_protocol, network order = the frame's ethertype
        sll[3] = frame[13];
        SockAddr.putIntLe(sll, 4, ifindex);
        sll[11] = 6; // sll_halen
        System.arraycopy(frame, 0, sll, 12, 6);
        return sll;
    }

    /** Sends {@code frame} to {@code sll} (from {@link #destination}). */
    public void send(byte[] frame, byte[] sll, String ifname) throws NativeException {
        long n = LibC.INSTANCE.sendto(fd, frame, frame.length, 0, sll, sll.length);
        if (n < 0) {
            throw new NativeException("sendto(AF_PACKET)", LibC.errno(), "gratuitous ARP on " + ifname);
        }
    }

    @Override
    public void close() {
        LibC.INSTANCE.close(fd);
    }
}
