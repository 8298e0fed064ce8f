package io.javalived.netlink.icmp;

import io.javalived.netlink.ffi.LibC;
import io.javalived.netlink.ffi.NativeException;
import java.io.Closeable;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import jnr.ffi.byref.IntByReference;

/**
 * An ICMP (or ICMPv6) echo socket: the unprivileged ICMP datagram socket ({@code SOCK_DGRAM, IPPROTO_ICMP}, allowed
 * when the process's group is in {@code net.ipv4.ping_group_range}; the kernel then owns the echo id) or, failing
 * that, a raw socket (needs CAP_NET_RAW). One socket serves every echo of a process: send from any thread; receive
 * on one reader thread, which {@link #close()} wakes.
 */
public final class IcmpEchoSocket implements Closeable {
    public static final int IPPROTO_ICMP = 1, IPPROTO_ICMPV6 = 58;
    private static final LibC C = LibC.INSTANCE;

    private final int fd;
    private final boolean ipv6;
    private final boolean datagram;
    private volatile boolean closed;

    private IcmpEchoSocket(int fd, boolean ipv6, boolean datagram) {
        this.fd = fd;
        this.ipv6 = ipv6;
        this.datagram = datagram;
    }

    /**
     * Opens the socket: datagram first unless {@code rawOnly}, raw second.
     *
     * @throws NativeException when neither is allowed (EACCES/EPERM: not in ping_group_range and no CAP_NET_RAW)
     */
    public static IcmpEchoSocket open(boolean ipv6, boolean rawOnly) throws NativeException {
        int family = ipv6 ? LibC.AF_INET6 : LibC.AF_INET;
        int proto = ipv6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
        int dgErr = 0;
        if (!rawOnly) {
            int fd = C.socket(family, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, proto);
            if (fd >= 0) return configure(new IcmpEchoSocket(fd, ipv6, true));
            dgErr = LibC.errno();
        }
        int fd = C.socket(family, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, proto);
        if (fd < 0) {
            throw new NativeException("socket", LibC.errno(), "ICMP" + (ipv6 ? "v6" : "") + " echo socket: datagram "
                    + (rawOnly ? "not tried" : "refused (errno " + dgErr + "; see net.ipv4.ping_group_range)")
                    + ", raw needs CAP_NET_RAW");
        }
        return configure(new IcmpEchoSocket(fd, ipv6, false));
    }

    private static IcmpEchoSocket configure(IcmpEchoSocket s) throws NativeException {
        // A receive timeout lets the reader notice close() even if shutdown() does not wake it.
        byte[] tv = new byte[16];
        tv[0] = 1; // 1 s
        if (C.setsockopt(s.fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, tv, tv.length) < 0) {
            int e = LibC.errno();
            C.close(s.fd);
            throw new NativeException("setsockopt(SO_RCVTIMEO)", e, "ICMP echo socket");
        }
        return s;
    }

    public boolean isIpv6() {
        return ipv6;
    }

    /** True for the unprivileged datagram socket (the kernel rewrites the echo id). */
    public boolean isDatagram() {
        return datagram;
    }

    /** Sends an echo request. */
    public void send(InetAddress dst, int id, int seq, byte[] payload) throws NativeException {
        if ((dst instanceof Inet6Address) != ipv6) throw new IllegalArgumentException("address family mismatch: " + dst);
        byte[] pkt = IcmpEcho.request(ipv6, id, seq, payload);
        byte[] sa = sockaddr(dst);
        long n = C.sendto(fd, pkt, pkt.length, 0, sa, sa.length);
        if (n < 0) throw new NativeException("sendto", LibC.errno(), "ICMP echo to " + dst.getHostAddress());
    }

    /** A received echo reply. */
    public record Reply(InetAddress from, int id, int seq) {}

    /**
     * Blocks for the next echo reply (other ICMP types are skipped). Returns null on the 1 s receive timeout or after
     * {@link #close()}.
     */
    public Reply receive() throws NativeException {
        byte[] buf = new byte[1500];
        byte[] sa = new byte[28];
        while (!closed) {
            IntByReference salen = new IntByReference(sa.length);
            long n = C.recvfrom(fd, buf, buf.length, 0, sa, salen);
            if (n < 0) {
                int e = LibC.errno();
                if (closed || e == 11 /* EAGAIN: timeout */ || e == 4 /* EINTR */) return null;
                throw new NativeException("recvfrom", e, "ICMP echo socket");
            }
            if (n == 0 && closed) return null;
            IcmpEcho.Message m = IcmpEcho.decode(buf, (int) n, !ipv6 && !datagram);
            if (m == null) continue;
            if (m.type() != (ipv6 ? IcmpEcho.ECHO_REPLY_V6 : IcmpEcho.ECHO_REPLY_V4)) continue;
            return new Reply(address(sa), m.id(), m.seq());
        }
        return null;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        C.shutdown(fd, LibC.SHUT_RDWR);
        C.close(fd);
    }

    static byte[] sockaddr(InetAddress a) {
        byte[] ip = a.getAddress();
        if (a instanceof Inet4Address) {
            byte[] sa = new byte[16];
            sa[0] = (byte) LibC.AF_INET; // sa_family is host-order (little-endian x86/arm64)
            System.arraycopy(ip, 0, sa, 4, 4);
            return sa;
        }
        byte[] sa = new byte[28];
        sa[0] = (byte) LibC.AF_INET6;
        System.arraycopy(ip, 0, sa, 8, 16);
        int scope = ((Inet6Address) a).getScopeId();
        sa[24] = (byte) scope;
        sa[25] = (byte) (scope >> 8);
        sa[26] = (byte) (scope >> 16);
        sa[27] = (byte) (scope >> 24);
        return sa;
    }

    static InetAddress address(byte[] sa) {
        try {
            int fam = (sa[0] & 0xff) | (sa[1] & 0xff) << 8;
            if (fam == LibC.AF_INET6) {
                byte[] ip = new byte[16];
                System.arraycopy(sa, 8, ip, 0, 16);
                return InetAddress.getByAddress(ip);
            }
            byte[] ip = new byte[4];
            System.arraycopy(sa, 4, ip, 0, 4);
            return InetAddress.getByAddress(ip);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
