package io.javalived.netlink.inet;

import io.javalived.netlink.ffi.Errno;
import io.javalived.netlink.ffi.LibC;
import io.javalived.netlink.ffi.NativeException;
import java.io.Closeable;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * A raw IPv4 or IPv6 socket for one IP protocol (112 for VRRP, 58 for ICMPv6). Blocking; one thread may sit in
 * {@link #receive} and is woken by {@link #shutdown()}. IPv4 receives carry the IP header (TTL, addresses come from
 * it); IPv6 receives carry the hop limit and destination as ancillary data (IPV6_HOPLIMIT / IPV6_PKTINFO).
 */
public final class RawIpSocket implements Closeable {
    public static final int IPPROTO_IP = 0, IPPROTO_IPV6 = 41, IPPROTO_ICMPV6 = 58, IPPROTO_VRRP = 112;
    public static final int IP_TOS = 1, IP_TTL = 2, IP_MULTICAST_IF = 32, IP_MULTICAST_TTL = 33,
            IP_MULTICAST_LOOP = 34, IP_ADD_MEMBERSHIP = 35, IP_DROP_MEMBERSHIP = 36, IP_MULTICAST_ALL = 49;
    public static final int IPV6_CHECKSUM = 7, IPV6_UNICAST_HOPS = 16, IPV6_MULTICAST_IF = 17,
            IPV6_MULTICAST_HOPS = 18, IPV6_MULTICAST_LOOP = 19, IPV6_ADD_MEMBERSHIP = 20, IPV6_DROP_MEMBERSHIP = 21,
            IPV6_MULTICAST_ALL = 29, IPV6_RECVPKTINFO = 49, IPV6_PKTINFO = 50, IPV6_RECVHOPLIMIT = 51,
            IPV6_HOPLIMIT = 52, IPV6_TCLASS = 67;
    public static final int ICMP6_FILTER = 1;
    static final int SO_ATTACH_FILTER = 26;

    private static final int MSG_OFF = 0, IOV_OFF = 64, NAME_OFF = 80, CTRL_OFF = 112, CTRL_LEN = 256,
            DATA_OFF = 368;
    /** The largest datagram received (longer ones are truncated). */
    public static final int DATA_LEN = 4096;

    /** A received datagram. For IPv4 {@code data} starts with the IP header and {@code payloadOffset} skips it. */
    public static final class Datagram {
        public byte[] data = new byte[DATA_LEN];
        public int length;
        public int payloadOffset;
        public InetAddress source;
        public InetAddress destination;
        /** TTL (IPv4) or hop limit (IPv6); -1 when unknown. */
        public int hopLimit = -1;
        public boolean truncated;
        /** The last IPv4 source and destination, reused while they repeat. */
        InetAddress v4Source;
        InetAddress v4Destination;

        public int payloadLength() {
            return length - payloadOffset;
        }
    }

    private final int fd;
    private final int family;
    private final int protocol;
    private final String description;
    private volatile boolean closed;
    private Pointer rx; // native msghdr + buffers, allocated on first receive
    private static Pointer dropAllFilter;

    private RawIpSocket(int fd, int family, int protocol, String description) {
        this.fd = fd;
        this.family = family;
        this.protocol = protocol;
        this.description = description;
    }

    /** Opens a raw socket for {@code protocol}, IPv4 or IPv6 by {@code ipv6}. */
    public static RawIpSocket open(boolean ipv6, int protocol, String description) throws NativeException {
        int family = ipv6 ? LibC.AF_INET6 : LibC.AF_INET;
        int fd = LibC.INSTANCE.socket(family, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            throw new NativeException("socket(" + (ipv6 ? "AF_INET6" : "AF_INET") + ", SOCK_RAW, " + protocol + ")",
                    LibC.errno(), description + "; raw sockets need root or CAP_NET_RAW");
        }
        return new RawIpSocket(fd, family, protocol, description);
    }

    public int fd() {
        return fd;
    }

    public boolean ipv6() {
        return family == LibC.AF_INET6;
    }

    public void setInt(int level, int option, int value, String what) throws NativeException {
        check(LibC.INSTANCE.setsockopt(fd, level, option, SockAddr.intLe(value), 4), "setsockopt(" + what + ")");
    }

    public void setBytes(int level, int option, byte[] value, String what) throws NativeException {
        check(LibC.INSTANCE.setsockopt(fd, level, option, value, value.length), "setsockopt(" + what + ")");
    }

    /** SO_BINDTODEVICE: only this interface's traffic. */
    public void bindToDevice(String ifname) throws NativeException {
        byte[] n = (ifname + "\0").getBytes(StandardCharsets.US_ASCII);
        check(LibC.INSTANCE.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_BINDTODEVICE, n, n.length),
                "setsockopt(SO_BINDTODEVICE " + ifname + ")");
    }

    /** Binds the local (source) address; {@code scopeId} is the interface index for IPv6 link-local. */
    public void bind(InetAddress local, int scopeId) throws NativeException {
        byte[] sa = SockAddr.of(local, scopeId);
        check(LibC.INSTANCE.bind(fd, sa, sa.length), "bind(" + local.getHostAddress() + ")");
    }

    /** Joins {@code group} on interface {@code ifindex} (IP_ADD_MEMBERSHIP with ip_mreqn / IPV6_ADD_MEMBERSHIP). */
    public void joinGroup(InetAddress group, int ifindex) throws NativeException {
        membership(group, ifindex, true);
    }

    public void leaveGroup(InetAddress group, int ifindex) throws NativeException {
        membership(group, ifindex, false);
    }

    private void membership(InetAddress group, int ifindex, boolean join) throws NativeException {
        byte[] g = group.getAddress();
        if (group instanceof Inet4Address) {
            byte[] mreqn = new byte[12];
            System.arraycopy(g, 0, mreqn, 0, 4);
            SockAddr.putIntLe(mreqn, 8, ifindex);
            setBytes(IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, mreqn,
                    (join ? "IP_ADD_MEMBERSHIP " : "IP_DROP_MEMBERSHIP ") + group.getHostAddress());
        } else {
            byte[] mreq = new byte[20];
            System.arraycopy(g, 0, mreq, 0, 16);
            SockAddr.putIntLe(mreq, 16, ifindex);
            setBytes(IPPROTO_IPV6, join ? IPV6_ADD_MEMBERSHIP : IPV6_DROP_MEMBERSHIP, mreq,
                    (join ? "IPV6_ADD_MEMBERSHIP " : "IPV6_DROP_MEMBERSHIP ") + group.getHostAddress());
        }
    }

    /** Multicast out of interface {@code ifindex}. */
    public void setMulticastInterface(int ifindex) throws NativeException {
        if (family == LibC.AF_INET) {
            byte[] mreqn = new byte[12];
            SockAddr.putIntLe(mreqn, 8, ifindex);
            setBytes(IPPROTO_IP, IP_MULTICAST_IF, mreqn, "IP_MULTICAST_IF");
        } else {
            setInt(IPPROTO_IPV6, IPV6_MULTICAST_IF, ifindex, "IPV6_MULTICAST_IF");
        }
    }

    /** TTL / hop limit for unicast and multicast. */
    public void setHopLimit(int hops) throws NativeException {
        if (family == LibC.AF_INET) {
            setInt(IPPROTO_IP, IP_TTL, hops, "IP_TTL");
            setBytes(IPPROTO_IP, IP_MULTICAST_TTL, new byte[] {(byte) hops}, "IP_MULTICAST_TTL");
        } else {
            setInt(IPPROTO_IPV6, IPV6_UNICAST_HOPS, hops, "IPV6_UNICAST_HOPS");
            setInt(IPPROTO_IPV6, IPV6_MULTICAST_HOPS, hops, "IPV6_MULTICAST_HOPS");
        }
    }

    /** IP_TOS / IPV6_TCLASS. */
    public void setTrafficClass(int tos) throws NativeException {
        if (family == LibC.AF_INET) {
            setInt(IPPROTO_IP, IP_TOS, tos, "IP_TOS");
        } else {
            setInt(IPPROTO_IPV6, IPV6_TCLASS, tos, "IPV6_TCLASS");
        }
    }

    public void setMulticastLoop(boolean loop) throws NativeException {
        if (family == LibC.AF_INET) {
            setBytes(IPPROTO_IP, IP_MULTICAST_LOOP, new byte[] {(byte) (loop ? 1 : 0)}, "IP_MULTICAST_LOOP");
        } else {
            setInt(IPPROTO_IPV6, IPV6_MULTICAST_LOOP, loop ? 1 : 0, "IPV6_MULTICAST_LOOP");
        }
    }

    /** Receive only the groups joined on this socket (IP_MULTICAST_ALL / IPV6_MULTICAST_ALL off). */
    public void setMulticastAll(boolean all) throws NativeException {
        if (family == LibC.AF_INET) {
            setInt(IPPROTO_IP, IP_MULTICAST_ALL, all ? 1 : 0, "IP_MULTICAST_ALL");
        } else {
            setInt(IPPROTO_IPV6, IPV6_MULTICAST_ALL, all ? 1 : 0, "IPV6_MULTICAST_ALL");
        }
    }

    /** IPV6_CHECKSUM: the kernel fills in (and verifies) the checksum at {@code offset} of the payload. */
    public void setIpv6Checksum(int offset) throws NativeException {
        setInt(IPPROTO_IPV6, IPV6_CHECKSUM, offset, "IPV6_CHECKSUM");
    }

    /** Ask for IPV6_HOPLIMIT and IPV6_PKTINFO ancillary data on receive. */
    public void requestIpv6Ancillary() throws NativeException {
        setInt(IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT");
        setInt(IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO");
    }

    /**
     * For a send-only socket: a socket filter that drops every incoming packet, so the kernel does not queue copies
     * of all protocol traffic on it.
     */
    public void dropAllIncoming() throws NativeException {
        Pointer prog;
        synchronized (RawIpSocket.class) {
            if (dropAllFilter == null) {
                Runtime rt = Runtime.getRuntime(LibC.INSTANCE);
                Pointer insn = Memory.allocateDirect(rt, 8); // { BPF_RET|BPF_K, 0, 0, 0 }
                insn.putShort(0, (short) 0x06);
                insn.putByte(2, (byte) 0);
                insn.putByte(3, (byte) 0);
                insn.putInt(4, 0);
                Pointer p = Memory.allocateDirect(rt, 16);
                p.putShort(0, (short) 1);
                p.putAddress(8, insn.address());
                dropAllFilter = p;
                keep = insn;
            }
            prog = dropAllFilter;
        }
        byte[] fprog = new byte[16];
        fprog[0] = 1;
        long a = prog.getAddress(8);
        for (int i = 0; i < 8; i++) {
            fprog[8 + i] = (byte) (a >>> (8 * i));
        }
        setBytes(LibC.SOL_SOCKET, SO_ATTACH_FILTER, fprog, "SO_ATTACH_FILTER");
    }

    private static Pointer keep;

    /** ICMPv6 sockets: block every ICMPv6 type on receive (send-only use). */
    public void blockAllIcmp6() throws NativeException {
        byte[] filter = new byte[32];
        java.util.Arrays.fill(filter, (byte) 0xff);
        setBytes(IPPROTO_ICMPV6, ICMP6_FILTER, filter, "ICMP6_FILTER");
    }

    /** Sends {@code len} bytes of payload to {@code destination} (the kernel builds the IP header). */
    public void send(byte[] payload, int len, InetAddress destination, int scopeId) throws NativeException {
        send(payload, len, SockAddr.of(destination, scopeId), destination);
    }

    /**
     * Sends to {@code destination} given as its socket address, built once with {@link SockAddr#of} (a sender that
     * always talks to the same few addresses need not build it at every send).
     */
    public void send(byte[] payload, int len, byte[] sockaddr, InetAddress destination) throws NativeException {
        long n = LibC.INSTANCE.sendto(fd, payload, len, 0, sockaddr, sockaddr.length);
        if (n < 0) {
            throw new NativeException("sendto(" + destination.getHostAddress() + ")", LibC.errno(), description);
        }
    }

    /**
     * Blocks until a datagram arrives, then fills {@code d}. Returns false when the socket was shut down or closed.
     */
    public boolean receive(Datagram d) throws NativeException {
        Pointer m = rxBuffers();
        while (true) {
            if (closed) {
                return false;
            }
            m.putLong(MSG_OFF + 8, 28); // namelen
            m.putLong(MSG_OFF + 40, CTRL_LEN); // controllen
            m.putInt(MSG_OFF + 48, 0); // flags
            long n = LibC.INSTANCE.recvmsg(fd, m, 0);
            if (n < 0) {
                int e = LibC.errno();
                if (e == Errno.EINTR || e == Errno.EAGAIN) {
                    continue;
                }
                if (closed) {
                    return false;
                }
                throw new NativeException("recvmsg", e, description);
            }
            if (n == 0 || closed) {
                return false; // shutdown(2) wakes us with 0
            }
            int flags = m.getInt(MSG_OFF + 48);
            int len = (int) Math.min(n, DATA_LEN);
            m.get(DATA_OFF, d.data, 0, len);
            d.length = len;
            d.truncated = (flags & LibC.MSG_TRUNC) != 0;
            d.hopLimit = -1;
            d.destination = null;
            if (family == LibC.AF_INET) {
                if (len < 20) {
                    d.payloadOffset = len;
                    d.source = null;
                    return true;
                }
                int ihl = (d.data[0] & 0x0f) * 4;
                d.payloadOffset = Math.min(ihl, len);
                d.hopLimit = d.data[8] & 0xff;
                d.source = d.v4Source = v4(d.v4Source, d.data, 12); // the last one again when equal: no garbage
                d.destination = d.v4Destination = v4(d.v4Destination, d.data, 16);
            } else {
                d.payloadOffset = 0;
                byte[] name = new byte[28];
                m.get(NAME_OFF, name, 0, 28);
                d.source = SockAddr.parse(name, 28);
                int scope = (name[24] & 0xff) | (name[25] & 0xff) << 8 | (name[26] & 0xff) << 16
                        | (name[27] & 0xff) << 24;
                if (d.source instanceof Inet6Address && d.source.isLinkLocalAddress() && scope != 0) {
                    try {
                        d.source = Inet6Address.getByAddress(null, d.source.getAddress(), scope);
                    } catch (UnknownHostException ignored) {
                        // keep the unscoped address
                    }
                }
                parseControl(m, d);
            }
            return true;
        }
    }

    private void parseControl(Pointer m, Datagram d) {
        long clen = m.getLong(MSG_OFF + 40);
        int off = 0;
        while (off + 16 <= clen) {
            long cmsgLen = m.getLong(CTRL_OFF + off);
            int level = m.getInt(CTRL_OFF + off + 8);
            int type = m.getInt(CTRL_OFF + off + 12);
            if (cmsgLen < 16) {
                break;
            }
            if (level == IPPROTO_IPV6 && type == IPV6_HOPLIMIT) {
                d.hopLimit = m.getInt(CTRL_OFF + off + 16);
            } else if (level == IPPROTO_IPV6 && type == IPV6_PKTINFO && cmsgLen >= 16 + 20) {
                byte[] a = new byte[16];
                m.get(CTRL_OFF + off + 16, a, 0, 16);
                d.destination = addr(a, 0, 16);
            }
            off += (int) ((cmsgLen + 7) & ~7L);
        }
    }

    /** The IPv4 address at b[off..off+4): {@code cached} when it is that address (Inet4Address.hashCode is it). */
    private static InetAddress v4(InetAddress cached, byte[] b, int off) {
        int x = (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
        return cached instanceof java.net.Inet4Address a && a.hashCode() == x ? cached : addr(b, off, 4);
    }

    private static InetAddress addr(byte[] b, int off, int len) {
        try {
            return InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, off, off + len));
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private synchronized Pointer rxBuffers() {
        if (rx == null) {
            Runtime rt = Runtime.getRuntime(LibC.INSTANCE);
            Pointer m = Memory.allocateDirect(rt, DATA_OFF + DATA_LEN);
            long base = m.address();
            m.putAddress(MSG_OFF, base + NAME_OFF); // msg_name
            m.putLong(MSG_OFF + 8, 28); // msg_namelen (+pad)
            m.putAddress(MSG_OFF + 16, base + IOV_OFF); // msg_iov
            m.putLong(MSG_OFF + 24, 1); // msg_iovlen
            m.putAddress(MSG_OFF + 32, base + CTRL_OFF); // msg_control
            m.putLong(MSG_OFF + 40, CTRL_LEN); // msg_controllen
            m.putInt(MSG_OFF + 48, 0);
            m.putAddress(IOV_OFF, base + DATA_OFF); // iov_base
            m.putLong(IOV_OFF + 8, DATA_LEN); // iov_len
            rx = m;
        }
        return rx;
    }

    /** Wakes a thread blocked in {@link #receive} (it returns false); further receives return false. */
    public void shutdown() {
        closed = true;
        LibC.INSTANCE.shutdown(fd, LibC.SHUT_RDWR);
    }

    @Override
    public void close() {
        closed = true;
        LibC.INSTANCE.shutdown(fd, LibC.SHUT_RDWR);
        LibC.INSTANCE.close(fd);
    }

    private void check(int rc, String call) throws NativeException {
        if (rc < 0) {
            throw new NativeException(call, LibC.errno(), description);
        }
    }

    @Override
    public String toString() {
        return description + " (fd " + fd + ", protocol " + protocol + ")";
    }
}
