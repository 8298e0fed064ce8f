package io.javalived.netlink;

import io.javalived.netlink.ffi.Errno;
import io.javalived.netlink.ffi.JffiCalls;
import io.javalived.netlink.ffi.LibC;
import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A netlink socket (any protocol: {@link Netlink#NETLINK_ROUTE}, {@link Netlink#NETLINK_GENERIC}...) talking to the
 * kernel: numbered requests, ACK and error decoding, dumps read to NLMSG_DONE, batches of many requests per send,
 * receive timeouts (poll) and multicast notifications.
 *
 * <p>Request methods are synchronized: one request (or batch) at a time per socket. Messages that arrive while
 * waiting and do not answer the current request (multicast notifications, seq 0) are queued for
 * {@link #receive(Duration)}; stale answers to abandoned requests are dropped.
 *
 * <p>Its libc calls go through {@link JffiCalls} (jffi directly, no jnr-ffi binding): a short command such as
 * {@code javalived ipvs status} starts without binding {@link LibC}.
 */
public final class NetlinkSocket implements Closeable {
    private static final int MSG_TRUNC = 0x20, EINTR = 4;
    /** Offsets in {@link #io}: struct msghdr (56 bytes), its struct iovec (16), struct sockaddr_nl (12), pollfd (8). */
    private static final int MSGHDR = 0, IOV = 56, NAME = 72, POLLFD = 88, IO_SIZE = 96;
    /** A dump datagram is at most ~32 KiB; an error may echo a large request. */
    private static final int RX_BUFFER = 256 * 1024;
    private static final int MAX_DUMP_RETRIES = 3;

    private final int fd;
    private final int protocol;
    private final int portId;
    /** Receive buffer and the receive call's structures: direct buffers, freed with this object (never while a
     *  thread still receives into them, as a close() from another thread could). Used under this object's lock. */
    private final ByteBuffer rx;
    private final ByteBuffer io;
    private final long rxAddress;
    private final long ioAddress;
    private final Deque<NlMessage> unsolicited = new ArrayDeque<>();
    private volatile boolean closed;
    private int seq;
    private Duration timeout = Duration.ofSeconds(10);
    private int batchMaxBytes = 128 * 1024;
    private int batchMaxMessages = 1024;

    // counters (for tests and metrics)
    private long messagesSent;
    private long sendCalls;
    private long receiveCalls;

    private NetlinkSocket(int fd, int protocol, int portId) {
        this.fd = fd;
        this.protocol = protocol;
        this.portId = portId;
        this.rx = ByteBuffer.allocateDirect(RX_BUFFER);
        this.io = ByteBuffer.allocateDirect(IO_SIZE).order(ByteOrder.nativeOrder());
        this.rxAddress = JffiCalls.address(rx);
        this.ioAddress = JffiCalls.address(io);
        this.seq = (int) (System.nanoTime() & 0x3fffffff) + 1;
    }

    /** Opens a socket of this netlink protocol, bound to a kernel-assigned port id, no multicast groups. */
    public static NetlinkSocket open(int protocol) throws NetlinkException {
        return open(protocol, 0);
    }

    /**
     * Opens and binds a socket; {@code groups} is the legacy multicast bitmask (e.g. RTMGRP_LINK | RTMGRP_IPV4_IFADDR)
     * for rtnetlink notifications. Use {@link #addMembership(int)} for groups above 32.
     */
    public static NetlinkSocket open(int protocol, int groups) throws NetlinkException {
        int fd = JffiCalls.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            throw new NetlinkException("socket(AF_NETLINK, " + protocol + ")", JffiCalls.errno(), null);
        }
        long sa = 0;
        try {
            byte[] bound = sockaddrNl(0, groups);
            sa = JffiCalls.malloc(16); // struct sockaddr_nl (12 bytes), then its length (int)
            JffiCalls.putBytes(sa, bound, 0, bound.length);
            if (JffiCalls.bind(fd, sa, bound.length) < 0) {
                throw new NetlinkException("bind(netlink protocol " + protocol + ", groups 0x"
                        + Integer.toHexString(groups) + ")", JffiCalls.errno(), null);
            }
            JffiCalls.putInt(sa + 12, 12); // socklen_t: room for the address
            if (JffiCalls.getsockname(fd, sa, sa + 12) < 0) {
                throw new NetlinkException("getsockname(netlink)", JffiCalls.errno(), null);
            }
            int pid = JffiCalls.getInt(sa + 4);
            NetlinkSocket s = new NetlinkSocket(fd, protocol, pid);
            // best effort: error messages without the echoed request, and with the kernel's explanation
            s.setIntOption(Netlink.SOL_NETLINK, Netlink.NETLINK_CAP_ACK, 1);
            s.setIntOption(Netlink.SOL_NETLINK, Netlink.NETLINK_EXT_ACK, 1);
            return s;
        } catch (NetlinkException | RuntimeException e) {
            JffiCalls.close(fd);
            throw e;
        } finally {
            JffiCalls.free(sa);
        }
    }

    static byte[] sockaddrNl(int pid, int groups) {
        byte[] sa = new byte[12];
        NlBytes.putU16(sa, 0, LibC.AF_NETLINK);
        NlBytes.putU32(sa, 4, pid & 0xffffffffL);
        NlBytes.putU32(sa, 8, groups & 0xffffffffL);
        return sa;
    }

    public int fd() {
        return fd;
    }

    public int protocol() {
        return protocol;
    }

    /** The port id the kernel assigned (nl_pid). */
    public int portId() {
        return portId;
    }

    /** How long a request waits for its answer (default 10 s). */
    public synchronized NetlinkSocket setTimeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    public synchronized Duration timeout() {
        return timeout;
    }

    /** Limits of one batch send: bytes and messages per sendmsg (defaults 128 KiB, 1024). */
    public synchronized NetlinkSocket setBatchLimits(int maxBytes, int maxMessages) {
        this.batchMaxBytes = Math.max(4096, maxBytes);
        this.batchMaxMessages = Math.max(1, maxMessages);
        return this;
    }

    /** Joins a multicast group by number (NETLINK_ADD_MEMBERSHIP), e.g. RTNLGRP_LINK = 1. */
    public void addMembership(int group) throws NetlinkException {
        if (!setIntOption(Netlink.SOL_NETLINK, Netlink.NETLINK_ADD_MEMBERSHIP, group)) {
            throw new NetlinkException("setsockopt(NETLINK_ADD_MEMBERSHIP, " + group + ")", JffiCalls.errno(), null);
        }
    }

    public void dropMembership(int group) throws NetlinkException {
        if (!setIntOption(Netlink.SOL_NETLINK, Netlink.NETLINK_DROP_MEMBERSHIP, group)) {
            throw new NetlinkException("setsockopt(NETLINK_DROP_MEMBERSHIP, " + group + ")", JffiCalls.errno(), null);
        }
    }

    /** Raises the receive buffer (SO_RCVBUFFORCE when privileged, else SO_RCVBUF); returns whether it took. */
    public boolean setReceiveBufferSize(int bytes) {
        return setIntOption(LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, bytes)
                || setIntOption(LibC.SOL_SOCKET, LibC.SO_RCVBUF, bytes);
    }

    public boolean setSendBufferSize(int bytes) {
        return setIntOption(LibC.SOL_SOCKET, LibC.SO_SNDBUFFORCE, bytes)
                || setIntOption(LibC.SOL_SOCKET, LibC.SO_SNDBUF, bytes);
    }

    /** setsockopt with an int value; false (errno in {@link JffiCalls#errno()}, or {@link LibC#errno()}) on failure. */
    public boolean setIntOption(int level, int option, int value) {
        long v = JffiCalls.malloc(4);
        try {
            JffiCalls.putInt(v, value);
            return JffiCalls.setsockopt(fd, level, option, v, 4) == 0;
        } finally {
            JffiCalls.free(v);
        }
    }

    /** Messages sent so far (each request or batched request counts once). */
    public synchronized long messagesSent() {
        return messagesSent;
    }

    /** send(2) calls so far. */
    public synchronized long sendCalls() {
        return sendCalls;
    }

    public synchronized long receiveCalls() {
        return receiveCalls;
    }

    private int nextSeq() {
        seq++;
        if (seq == 0) {
            seq = 1;
        }
        return seq;
    }

    // ---- requests -----------------------------------------------------------------------------------------------

    /**
     * Sends a request with NLM_F_ACK and waits for its ACK; returns the data messages the kernel sent before it (e.g.
     * the answer to a GET). Throws {@link NetlinkException} naming the errno and the request if the kernel refused it.
     */
    public synchronized List<NlMessage> request(NlMessage.Builder req) throws NetlinkException {
        int s = nextSeq();
        req.addFlags(Netlink.NLM_F_ACK);
        sendRaw(req.toBytes(s, 0), 1, req);
        List<NlMessage> replies = new ArrayList<>(1);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (NlMessage m : receiveDatagram(deadline, req)) {
                if (!answers(m, s)) {
                    continue;
                }
                if (m.isError()) {
                    int err = m.errorCode();
                    if (err != 0) {
                        throw new NetlinkException(req.description(), err, m.extAckMessage());
                    }
                    return replies;
                }
                replies.add(m);
            }
        }
    }

    /**
     * Sends a dump request (NLM_F_DUMP added) and returns every message up to NLMSG_DONE. A dump the kernel marks
     * inconsistent (NLM_F_DUMP_INTR: the table changed meanwhile) is restarted, up to 3 times.
     */
    public synchronized List<NlMessage> dump(NlMessage.Builder req) throws NetlinkException {
        req.addFlags(Netlink.NLM_F_DUMP);
        for (int attempt = 0; ; attempt++) {
            int s = nextSeq();
            sendRaw(req.toBytes(s, 0), 1, req);
            List<NlMessage> out = new ArrayList<>();
            boolean interrupted = false;
            long deadline = System.nanoTime() + timeout.toNanos();
            boolean done = false;
            while (!done) {
                for (NlMessage m : receiveDatagram(deadline, req)) {
                    if (!answers(m, s)) {
                        continue;
                    }
                    if ((m.flags() & Netlink.NLM_F_DUMP_INTR) != 0) {
                        interrupted = true;
                    }
                    if (m.isDone()) {
                        if (m.payloadLength() >= 4 && m.payloadS32(0) < 0) {
                            throw new NetlinkException(req.description(), -m.payloadS32(0), null);
                        }
                        done = true;
                        break;
                    }
                    if (m.isError()) {
                        int err = m.errorCode();
                        if (err != 0) {
                            throw new NetlinkException(req.description(), err, m.extAckMessage());
                        }
                        done = true;
                        break;
                    }
                    out.add(m);
                }
            }
            if (!interrupted || attempt >= MAX_DUMP_RETRIES) {
                return out;
            }
        }
    }

    /** The outcome of one request of a {@link #batch} call. */
    public static final class Result {
        private final NlMessage.Builder request;
        private int errno = -1; // -1: no answer yet
        private String kernelMessage;
        private List<NlMessage> replies = List.of();

        Result(NlMessage.Builder request) {
            this.request = request;
        }

        public NlMessage.Builder request() {
            return request;
        }

        public boolean ok() {
            return errno == 0;
        }

        /** 0 on success, else the positive errno. */
        public int errno() {
            return errno;
        }

        /** The failure as an exception (null on success). */
        public NetlinkException error() {
            return errno == 0 ? null : new NetlinkException(request.description(), errno, kernelMessage);
        }

        public List<NlMessage> replies() {
            return replies;
        }

        void reply(NlMessage m) {
            if (replies.isEmpty()) {
                replies = new ArrayList<>(1);
            }
            replies.add(m);
        }

        @Override
        public String toString() {
            return request.description() + ": " + (errno == 0 ? "ok" : Errno.name(errno));
        }
    }

    /**
     * Sends many requests, packed into as few send(2) calls as the batch limits allow, and returns one result per
     * request, in order. Netlink processes every message of a send even when one fails, and always answers a failed
     * message with an NLMSG_ERROR carrying its sequence number; so only the last message of each send asks for an
     * ACK (NLM_F_ACK), and a request with no error before that ACK succeeded. One failure is reported in its own
     * result without affecting the others. If the kernel could not queue some answers (ENOBUFS), the requests whose
     * outcome is unknown are reported as failed with ENOBUFS: re-read the kernel state before retrying them.
     *
     * @param ackEach ask for an ACK on every message (more receive calls; use when each request returns data)
     */
    public synchronized List<Result> batch(List<NlMessage.Builder> requests, boolean ackEach) throws NetlinkException {
        List<Result> results = new ArrayList<>(requests.size());
        for (NlMessage.Builder r : requests) {
            results.add(new Result(r));
        }
        int i = 0;
        int n = requests.size();
        byte[] chunk = new byte[batchMaxBytes];
        while (i < n) {
            int start = i;
            int used = 0;
            if ((seq & 0xffffffffL) + batchMaxMessages + 1 > 0xffffffffL) {
                seq = 0; // keep the chunk's sequence numbers contiguous and clear of 0 (notifications)
            }
            int firstSeq = seq + 1;
            while (i < n && i - start < batchMaxMessages) {
                NlMessage.Builder r = requests.get(i);
                int len = r.length();
                int aligned = Netlink.align(len);
                if (used + aligned > chunk.length) {
                    if (i == start) {
                        chunk = new byte[aligned];
                    } else {
                        break;
                    }
                }
                boolean last = i == n - 1 || i + 1 - start >= batchMaxMessages
                        || used + aligned + Netlink.align(requests.get(i + 1).length()) > chunk.length;
                int flags = r.flags() & ~Netlink.NLM_F_ACK;
                if (ackEach || last) {
                    flags |= Netlink.NLM_F_ACK;
                }
                r.flags(flags);
                used += r.writeTo(chunk, used, nextSeq(), 0);
                i++;
                if (last) {
                    break;
                }
            }
            int count = i - start;
            int lastSeq = firstSeq + count - 1;
            sendRaw(used == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, used), count, requests.get(start));
            collectBatch(results, start, count, firstSeq, lastSeq, ackEach);
        }
        return results;
    }

    /** {@link #batch(List, boolean)} with an ACK only at the end of each send. */
    public List<Result> batch(List<NlMessage.Builder> requests) throws NetlinkException {
        return batch(requests, false);
    }

    private void collectBatch(List<Result> results, int start, int count, int firstSeq, int lastSeq, boolean ackEach)
            throws NetlinkException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int pendingAcks = ackEach ? count : 1;
        NlMessage.Builder what = results.get(start + count - 1).request();
        try {
            while (pendingAcks > 0) {
                for (NlMessage m : receiveDatagram(deadline, what)) {
                    if (m.pid() != portId && m.pid() != 0) {
                        continue;
                    }
                    int idx = m.seq() - firstSeq;
                    if (idx < 0 || idx >= count) {
                        queueIfNotification(m);
                        continue;
                    }
                    Result r = results.get(start + idx);
                    if (m.isError()) {
                        if (r.errno < 0) {
                            r.errno = m.errorCode();
                            r.kernelMessage = m.errorCode() == 0 ? null : m.extAckMessage();
                            if (ackEach || m.seq() == lastSeq) {
                                pendingAcks--;
                            }
                        }
                    } else {
                        r.reply(m);
                    }
                }
            }
            if (!ackEach) {
                for (int k = start; k < start + count; k++) {
                    if (results.get(k).errno < 0) {
                        results.get(k).errno = 0; // no error before the final ACK: it succeeded
                    }
                }
            }
        } catch (NetlinkException e) {
            if (e.errno() != Errno.ENOBUFS && e.errno() != Errno.ETIMEDOUT) {
                throw e;
            }
            if (e.errno() == Errno.ENOBUFS) {
                drainPending();
            }
            for (int k = start; k < start + count; k++) {
                Result r = results.get(k);
                if (r.errno < 0) {
                    r.errno = e.errno();
                    r.kernelMessage = e.errno() == Errno.ENOBUFS ? "answer lost (receive buffer overrun); outcome unknown"
                            : "no answer; outcome unknown";
                }
            }
        }
    }

    /** Sends one message without waiting (sequence number assigned here, returned). */
    public synchronized int send(NlMessage.Builder req) throws NetlinkException {
        int s = nextSeq();
        sendRaw(req.toBytes(s, 0), 1, req);
        return s;
    }

    /**
     * The next message that no request is waiting for (a multicast notification, or an answer to {@link #send}),
     * waiting at most {@code wait}; null on timeout.
     */
    public synchronized NlMessage receive(Duration wait) throws NetlinkException {
        if (!unsolicited.isEmpty()) {
            return unsolicited.poll();
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (unsolicited.isEmpty()) {
            List<NlMessage> got;
            try {
                got = receiveDatagram(deadline, null);
            } catch (NetlinkException e) {
                if (e.errno() == Errno.ETIMEDOUT) {
                    return null;
                }
                throw e;
            }
            unsolicited.addAll(got);
        }
        return unsolicited.poll();
    }

    private boolean answers(NlMessage m, int s) {
        if (m.seq() == s && (m.pid() == portId || m.pid() == 0)) {
            return true;
        }
        queueIfNotification(m);
        return false;
    }

    private void queueIfNotification(NlMessage m) {
        if (m.seq() == 0) {
            unsolicited.add(m);
        }
    }

    // ---- I/O ----------------------------------------------------------------------------------------------------

    private void sendRaw(byte[] data, int messages, NlMessage.Builder what) throws NetlinkException {
        if (closed) {
            throw new NetlinkException(what.description(), Errno.EBADF, "netlink socket closed");
        }
        long buf = JffiCalls.malloc(data.length);
        try {
            JffiCalls.putBytes(buf, data, 0, data.length);
            sendFrom(buf, data.length, messages, what);
        } finally {
            JffiCalls.free(buf);
        }
    }

    private void sendFrom(long buf, int length, int messages, NlMessage.Builder what) throws NetlinkException {
        while (true) {
            long n = JffiCalls.send(fd, buf, length, 0);
            if (n >= 0) {
                sendCalls++;
                messagesSent += messages;
                if (n != length) {
                    throw new NetlinkException(what.description(), Errno.EMSGSIZE, "short send " + n + "/" + length);
                }
                return;
            }
            int err = JffiCalls.errno();
            if (err != EINTR) {
                throw new NetlinkException(what.description() + " (send)", err, null);
            }
        }
    }

    /** Waits for and reads one datagram from the kernel; ETIMEDOUT past the deadline. */
    private List<NlMessage> receiveDatagram(long deadlineNanos, NlMessage.Builder what) throws NetlinkException {
        while (true) {
            if (closed) {
                throw new NetlinkException(desc(what), Errno.EBADF, "netlink socket closed");
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                throw new NetlinkException(desc(what), Errno.ETIMEDOUT, "no answer from the kernel");
            }
            io.putInt(POLLFD, fd);
            io.putShort(POLLFD + 4, LibC.POLLIN);
            io.putShort(POLLFD + 6, (short) 0);
            int pr = JffiCalls.poll(ioAddress + POLLFD, 1, (int) Math.min(Integer.MAX_VALUE, Math.max(1, left / 1_000_000)));
            if (pr < 0) {
                int err = JffiCalls.errno();
                if (err == EINTR) {
                    continue;
                }
                throw new NetlinkException(desc(what) + " (poll)", err, null);
            }
            if (pr == 0) {
                continue;
            }
            io.putLong(MSGHDR, ioAddress + NAME); // msg_name
            io.putInt(MSGHDR + 8, 12); // msg_namelen
            io.putLong(IOV, rxAddress); // iov_base
            io.putLong(IOV + 8, RX_BUFFER); // iov_len
            io.putLong(MSGHDR + 16, ioAddress + IOV); // msg_iov
            io.putLong(MSGHDR + 24, 1); // msg_iovlen
            io.putLong(MSGHDR + 32, 0); // msg_control
            io.putLong(MSGHDR + 40, 0); // msg_controllen
            io.putInt(MSGHDR + 48, 0); // msg_flags
            long n = JffiCalls.recvmsg(fd, ioAddress + MSGHDR, 0);
            if (n < 0) {
                int err = JffiCalls.errno();
                if (err == EINTR || err == Errno.EAGAIN) {
                    continue;
                }
                throw new NetlinkException(desc(what) + " (receive)", err, null);
            }
            receiveCalls++;
            if ((io.getInt(MSGHDR + 48) & MSG_TRUNC) != 0) {
                throw new NetlinkException(desc(what), Errno.EMSGSIZE, "datagram larger than " + RX_BUFFER + " bytes");
            }
            int senderPid = io.getInt(NAME + 4);
            if (senderPid != 0) {
                continue; // not from the kernel: ignore
            }
            byte[] data = new byte[(int) n];
            rx.get(0, data, 0, (int) n);
            return NlMessage.parseAll(data, 0, data.length);
        }
    }

    /**
     * Reads and drops whatever is queued (multicast notifications are kept). After an overrun the kernel marks the
     * socket congested and drops every further answer until the queue has been emptied once.
     */
    private void drainPending() {
        for (int guard = 0; guard < 100_000; guard++) {
            try {
                for (NlMessage m : receiveDatagram(System.nanoTime() + 1_000_000L, null)) {
                    queueIfNotification(m);
                }
            } catch (NetlinkException e) {
                if (e.errno() == Errno.ETIMEDOUT || e.errno() == Errno.EBADF) {
                    return;
                }
                // ENOBUFS again: keep draining
            }
        }
    }

    private static String desc(NlMessage.Builder what) {
        return what == null ? "netlink receive" : what.description();
    }

    /** Closes the socket; a thread blocked in a request fails with EBADF at its next poll. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            JffiCalls.shutdown(fd, LibC.SHUT_RDWR);
            JffiCalls.close(fd);
        }
    }

    @Override
    public String toString() {
        return "NetlinkSocket{protocol=" + protocol + ", portId=" + Integer.toUnsignedString(portId) + "}";
    }
}
