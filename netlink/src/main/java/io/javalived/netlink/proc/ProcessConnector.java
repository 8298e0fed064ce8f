package io.javalived.netlink.proc;

import io.javalived.netlink.ffi.LibC;
import io.javalived.netlink.ffi.NativeException;
import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The kernel's process connector (netlink NETLINK_CONNECTOR, CN_IDX_PROC), as keepalived's track_process uses it: the
 * socket joins the proc events group and subscribes (PROC_CN_MCAST_LISTEN); events for whole processes (pid = tgid)
 * come back as {@link Event}s. The kernel sends these events only to sockets of the initial network namespace: when
 * this process runs in another one (ip netns exec), the socket is made from a thread that joins the initial namespace
 * of PID 1 for the call, which needs CAP_SYS_ADMIN (keepalived has no such step: its track_process does not work in a
 * network namespace).
 */
public final class ProcessConnector implements Closeable {
    static final int NETLINK_CONNECTOR = 11, CN_IDX_PROC = 1, CN_VAL_PROC = 1, NLMSG_DONE = 3;
    static final int PROC_CN_MCAST_LISTEN = 1;
    static final int EV_FORK = 1, EV_EXEC = 2, EV_COMM = 0x200, EV_EXIT = 0x80000000;
    private static final int CLONE_NEWNET = 0x40000000, ECONNREFUSED = 111, EAGAIN = 11, EINTR = 4;

    /** A process event (threads are left out, as keepalived does). */
    public sealed interface Event {
        /** A process {@code parent} made {@code child}. */
        record Fork(int parent, int child) implements Event {}

        /** {@code pid} ran exec: its command line changed. */
        record Exec(int pid) implements Event {}

        /** {@code pid} set its name (prctl PR_SET_NAME). */
        record Comm(int pid, String comm) implements Event {}

        /** {@code pid} ended. */
        record Exit(int pid) implements Event {}
    }

    private final int fd;
    private final boolean initialNamespace;
    private volatile boolean closed;

    private ProcessConnector(int fd, boolean initialNamespace) {
        this.fd = fd;
        this.initialNamespace = initialNamespace;
    }

    /** Whether the socket had to be made in the initial network namespace (this process runs in another one). */
    public boolean madeInInitialNamespace() {
        return initialNamespace;
    }

    /** Opens and subscribes; in a network namespace, retries from the initial one. */
    public static ProcessConnector open() throws NativeException {
        try {
            return new ProcessConnector(subscribe(), false);
        } catch (NativeException e) {
            if (e.errno() != ECONNREFUSED) {
                throw e;
            }
        }
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new Thread(() -> {
            LibC c = LibC.INSTANCE;
            int ns = c.open("/proc/1/ns/net", LibC.O_RDONLY | LibC.O_CLOEXEC);
            if (ns < 0 || c.setns(ns, CLONE_NEWNET) != 0) {
                int err = LibC.errno();
                if (ns >= 0) {
                    c.close(ns);
                }
                result.set(new NativeException("setns", err, "the initial network namespace of PID 1"));
                return;
            }
            c.close(ns);
            try {
                result.set(subscribe()); // this thread ends here: its namespace goes with it
            } catch (NativeException e) {
                result.set(e);
            }
        }, "proc-connector-open");
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Object r = result.get();
        if (r instanceof Integer fd) {
            return new ProcessConnector(fd, true);
        }
        throw r instanceof NativeException ne ? ne : new NativeException("open", 0, "process connector");
    }

    private static int subscribe() throws NativeException {
        LibC c = LibC.INSTANCE;
        int fd = c.socket(LibC.AF_NETLINK, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, NETLINK_CONNECTOR);
        if (fd < 0) {
            throw new NativeException("socket(NETLINK_CONNECTOR)", LibC.errno(),
                    "is CONFIG_PROC_EVENTS enabled in the kernel?");
        }
        ByteBuffer sa = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder());
        sa.putShort((short) LibC.AF_NETLINK).putShort((short) 0).putInt(0).putInt(CN_IDX_PROC);
        if (c.bind(fd, sa.array(), 12) < 0) {
            int e = LibC.errno();
            c.close(fd);
            throw new NativeException("bind(NETLINK_CONNECTOR, CN_IDX_PROC)", e, null);
        }
        byte[] msg = listenMessage();
        if (c.send(fd, msg, msg.length, 0) < 0) {
            int e = LibC.errno();
            c.close(fd);
            throw new NativeException("send(PROC_CN_MCAST_LISTEN)", e, "process events");
        }
        c.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, intBytes(1 << 20), 4);
        return fd;
    }

    private static byte[] intBytes(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    /** nlmsghdr + cn_msg + PROC_CN_MCAST_LISTEN. */
    static byte[] listenMessage() {
        ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.nativeOrder());
        b.putInt(40).putShort((short) NLMSG_DONE).putShort((short) 0).putInt(0).putInt(0);
        b.putInt(CN_IDX_PROC).putInt(CN_VAL_PROC).putInt(0).putInt(0).putShort((short) 4).putShort((short) 0);
        b.putInt(PROC_CN_MCAST_LISTEN);
        return b.array();
    }

    /**
     * Waits up to {@code timeoutMillis} for events; returns those of one datagram (empty on timeout). Throws when the
     * socket fails (e.g. ENOBUFS: events were lost, the caller should rescan /proc).
     */
    public List<Event> receive(int timeoutMillis) throws NativeException {
        LibC c = LibC.INSTANCE;
        byte[] pfd = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(fd).putShort((short) 1)
                .putShort((short) 0).array();
        int n = c.poll(pfd, 1, timeoutMillis);
        if (n <= 0 || closed) {
            return List.of();
        }
        byte[] buf = new byte[8192];
        long len = c.recv(fd, buf, buf.length, LibC.MSG_DONTWAIT);
        if (len < 0) {
            int e = LibC.errno();
            if (e == EAGAIN || e == EINTR) {
                return List.of();
            }
            throw new NativeException("recv(NETLINK_CONNECTOR)", e, "process events");
        }
        return decode(buf, (int) len);
    }

    /** Pure: the events of one datagram (several netlink messages may be packed). */
    static List<Event> decode(byte[] buf, int len) {
        List<Event> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(buf, 0, len).order(ByteOrder.nativeOrder());
        int off = 0;
        while (off + 16 <= len) {
            int msgLen = b.getInt(off);
            if (msgLen < 16 || off + msgLen > len) {
                break;
            }
            int ev = off + 16 + 20; // nlmsghdr, cn_msg
            if (off + msgLen >= ev + 16 && b.getInt(off + 16) == CN_IDX_PROC) {
                int what = b.getInt(ev);
                int data = ev + 16; // what, cpu, timestamp
                switch (what) {
                    case EV_FORK -> {
                        int parentTgid = b.getInt(data + 4);
                        int childPid = b.getInt(data + 8);
                        int childTgid = b.getInt(data + 12);
                        if (childPid == childTgid) {
                            out.add(new Event.Fork(parentTgid, childTgid));
                        }
                    }
                    case EV_EXEC -> {
                        if (b.getInt(data) == b.getInt(data + 4)) {
                            out.add(new Event.Exec(b.getInt(data + 4)));
                        }
                    }
                    case EV_COMM -> {
                        if (b.getInt(data) == b.getInt(data + 4)) {
                            int end = data + 8;
                            int z = end;
                            while (z < end + 16 && z < len && buf[z] != 0) {
                                z++;
                            }
                            out.add(new Event.Comm(b.getInt(data + 4),
                                    new String(buf, end, z - end, StandardCharsets.UTF_8)));
                        }
                    }
                    case EV_EXIT -> {
                        if (b.getInt(data) == b.getInt(data + 4)) {
                            out.add(new Event.Exit(b.getInt(data + 4)));
                        }
                    }
                    default -> {
                        // none (the subscription's answer), uid, gid, sid, ptrace, coredump: not used
                    }
                }
            }
            off += (msgLen + 3) & ~3;
        }
        return out;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.INSTANCE.close(fd);
        }
    }
}
