package io.javalived.netlink.route;

import io.javalived.netlink.ffi.Errno;
import io.javalived.netlink.ffi.LibC;
import io.javalived.netlink.ffi.NativeException;
import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A small NETLINK_ROUTE socket: requests with ACK, dumps, and group subscriptions. Messages are little-endian host
 * order as the kernel expects on x86_64/aarch64. Thread-safe for requests (one at a time).
 */
final class RtnlSocket implements Closeable {
    static final int NETLINK_ROUTE = 0;
    static final int NLMSG_ERROR = 2, NLMSG_DONE = 3;
    static final int NLM_F_REQUEST = 1, NLM_F_MULTI = 2, NLM_F_ACK = 4, NLM_F_REPLACE = 0x100, NLM_F_EXCL = 0x200,
            NLM_F_CREATE = 0x400, NLM_F_DUMP = 0x300;

    private final int fd;
    private int seq = (int) (System.nanoTime() & 0x3fffffff);
    private final byte[] rbuf = new byte[65536];
    private volatile boolean closed;

    RtnlSocket(int groups) throws NativeException {
        fd = LibC.INSTANCE.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0) {
            throw new NativeException("socket(AF_NETLINK, NETLINK_ROUTE)", LibC.errno(), "rtnetlink");
        }
        byte[] sa = new byte[12];
        sa[0] = (byte) LibC.AF_NETLINK;
        sa[8] = (byte) groups;
        sa[9] = (byte) (groups >>> 8);
        sa[10] = (byte) (groups >>> 16);
        sa[11] = (byte) (groups >>> 24);
        if (LibC.INSTANCE.bind(fd, sa, sa.length) < 0) {
            int e = LibC.errno();
            LibC.INSTANCE.close(fd);
            throw new NativeException("bind(AF_NETLINK)", e, "rtnetlink groups " + groups);
        }
    }

    /** A receive timeout, so a reader blocked in {@link #receiveNotifications} notices {@link #shutdown()}. */
    void setReceiveTimeout(int millis) throws NativeException {
        byte[] tv = new byte[16];
        long sec = millis / 1000;
        long usec = (millis % 1000) * 1000L;
        for (int i = 0; i < 8; i++) {
            tv[i] = (byte) (sec >>> (8 * i));
            tv[8 + i] = (byte) (usec >>> (8 * i));
        }
        if (LibC.INSTANCE.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, tv, tv.length) < 0) {
            throw new NativeException("setsockopt(SO_RCVTIMEO)", LibC.errno(), "rtnetlink");
        }
    }

    /** Builds a message: 16-byte nlmsghdr + {@code body}. */
    static ByteBuffer message(int type, int flags, int bodyCapacity) {
        ByteBuffer b = ByteBuffer.allocate(16 + bodyCapacity).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0).putShort((short) type).putShort((short) flags).putInt(0).putInt(0);
        return b;
    }

    static void attr(ByteBuffer b, int type, byte[] value) {
        int len = 4 + value.length;
        b.putShort((short) len).putShort((short) type).put(value);
        for (int i = len; i % 4 != 0; i++) {
            b.put((byte) 0);
        }
    }

    static void attrInt(ByteBuffer b, int type, int v) {
        b.putShort((short) 8).putShort((short) type).putInt(v);
    }

    /** Sends a request with NLM_F_ACK and waits for the kernel's answer; throws on a negative errno. */
    synchronized void request(ByteBuffer msg, String what) throws NativeException {
        int s = send(msg, what);
        while (true) {
            int n = recv(what);
            ByteBuffer r = ByteBuffer.wrap(rbuf, 0, n).order(ByteOrder.LITTLE_ENDIAN);
            while (r.remaining() >= 16) {
                int start = r.position();
                int len = r.getInt(start);
                int type = r.getShort(start + 4) & 0xffff;
                int rseq = r.getInt(start + 8);
                if (len < 16 || start + len > n) {
                    break;
                }
                if (rseq == s && type == NLMSG_ERROR) {
                    int err = -r.getInt(start + 16);
                    if (err != 0) {
                        throw new NativeException("rtnetlink " + what, err, null);
                    }
                    return;
                }
                r.position(start + ((len + 3) & ~3));
            }
        }
    }

    /** Sends a dump request and hands each reply message (header included, as a slice) to {@code each}. */
    synchronized void dump(ByteBuffer msg, String what, Consumer<ByteBuffer> each) throws NativeException {
        int s = send(msg, what);
        while (true) {
            int n = recv(what);
            ByteBuffer r = ByteBuffer.wrap(rbuf, 0, n).order(ByteOrder.LITTLE_ENDIAN);
            while (r.remaining() >= 16) {
                int start = r.position();
                int len = r.getInt(start);
                int type = r.getShort(start + 4) & 0xffff;
                int rseq = r.getInt(start + 8);
                if (len < 16 || start + len > n) {
                    break;
                }
                if (rseq == s) {
                    if (type == NLMSG_DONE) {
                        return;
                    }
                    if (type == NLMSG_ERROR) {
                        int err = -r.getInt(start + 16);
                        if (err != 0) {
                            throw new NativeException("rtnetlink " + what, err, null);
                        }
                        return;
                    }
                    ByteBuffer m = ByteBuffer.wrap(rbuf, start, len).slice().order(ByteOrder.LITTLE_ENDIAN);
                    each.accept(m);
                }
                r.position(start + ((len + 3) & ~3));
            }
        }
    }

    /**
     * Blocks for the next batch of notifications and hands each message to {@code each}. Returns false once the
     * socket was shut down.
     */
    boolean receiveNotifications(Consumer<ByteBuffer> each) throws NativeException {
        int n;
        while (true) {
            if (closed) {
                return false;
            }
            long rc = LibC.INSTANCE.recv(fd, rbuf, rbuf.length, 0);
            if (rc < 0) {
                int e = LibC.errno();
                if (e == Errno.EINTR || e == Errno.EAGAIN) {
                    continue; // EAGAIN: receive timeout, re-check closed (netlink sockets ignore shutdown(2))
                }
                if (closed) {
                    return false;
                }
                if (e == Errno.ENOBUFS) {
                    return true; // overrun: the caller re-reads the state
                }
                throw new NativeException("recv", e, "rtnetlink notifications");
            }
            if (rc == 0 || closed) {
                return false;
            }
            n = (int) rc;
            break;
        }
        ByteBuffer r = ByteBuffer.wrap(rbuf, 0, n).order(ByteOrder.LITTLE_ENDIAN);
        List<ByteBuffer> msgs = new ArrayList<>();
        while (r.remaining() >= 16) {
            int start = r.position();
            int len = r.getInt(start);
            if (len < 16 || start + len > n) {
                break;
            }
            msgs.add(ByteBuffer.wrap(rbuf, start, len).slice().order(ByteOrder.LITTLE_ENDIAN));
            r.position(start + ((len + 3) & ~3));
        }
        msgs.forEach(each);
        return true;
    }

    private int send(ByteBuffer msg, String what) throws NativeException {
        int s = ++seq;
        int len = msg.position();
        msg.putInt(0, len);
        msg.putInt(8, s);
        byte[] sa = new byte[12];
        sa[0] = (byte) LibC.AF_NETLINK;
        long n = LibC.INSTANCE.sendto(fd, msg.array(), len, 0, sa, sa.length);
        if (n < 0) {
            throw new NativeException("sendto(rtnetlink)", LibC.errno(), what);
        }
        return s;
    }

    private int recv(String what) throws NativeException {
        while (true) {
            long n = LibC.INSTANCE.recv(fd, rbuf, rbuf.length, 0);
            if (n < 0) {
                int e = LibC.errno();
                if (e == Errno.EINTR) {
                    continue;
                }
                throw new NativeException("recv(rtnetlink)", e, what);
            }
            return (int) n;
        }
    }

    /** Wakes a thread blocked in {@link #receiveNotifications}. */
    void shutdown() {
        closed = true;
        LibC.INSTANCE.shutdown(fd, LibC.SHUT_RDWR);
    }

    @Override
    public void close() {
        closed = true;
        LibC.INSTANCE.shutdown(fd, LibC.SHUT_RDWR);
        LibC.INSTANCE.close(fd);
    }
}
