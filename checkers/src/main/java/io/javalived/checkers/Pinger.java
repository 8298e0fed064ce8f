package io.javalived.checkers;

import io.javalived.netlink.icmp.IcmpEchoSocket;
import io.netty.channel.EventLoop;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shared ICMP echo engine of PING_CHECK: one socket per address family for the whole process (opened on first
 * use), one reader thread per socket, replies matched to requests by (address, sequence); timeouts run on the
 * caller's event loop. No thread per check.
 */
public final class Pinger implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.javalived.checkers.Pinger");
    private static final byte[] PAYLOAD = "javalived-ping-check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final boolean rawOnly;
    private final int id = (int) (ProcessHandle.current().pid() & 0xffff);
    private final AtomicInteger seq = new AtomicInteger((int) (System.nanoTime() & 0xffff));
    private final Map<String, CompletableFuture<Boolean>> pending = new ConcurrentHashMap<>();
    private volatile IcmpEchoSocket v4, v6;
    private volatile boolean closed;

    /** @param rawOnly skip the unprivileged datagram socket (tests) */
    public Pinger(boolean rawOnly) {
        this.rawOnly = rawOnly;
    }

    public Pinger() {
        this(false);
    }

    /** Which kind of socket serves a family ("datagram" / "raw"), opening it if needed. */
    public String kind(boolean ipv6) throws java.io.IOException {
        return socket(ipv6).isDatagram() ? "datagram" : "raw";
    }

    private IcmpEchoSocket socket(boolean ipv6) throws java.io.IOException {
        IcmpEchoSocket s = ipv6 ? v6 : v4;
        if (s != null) return s;
        synchronized (this) {
            s = ipv6 ? v6 : v4;
            if (s == null) {
                if (closed) throw new java.io.IOException("pinger closed");
                s = IcmpEchoSocket.open(ipv6, rawOnly);
                IcmpEchoSocket sock = s;
                Thread t = new Thread(() -> readLoop(sock), "javalived-icmp" + (ipv6 ? "6" : "4") + "-reader");
                t.setDaemon(true);
                t.start();
                if (ipv6) v6 = s;
                else v4 = s;
            }
            return s;
        }
    }

    private void readLoop(IcmpEchoSocket s) {
        while (!closed) {
            try {
                IcmpEchoSocket.Reply r = s.receive();
                if (r == null) continue;
                if (!s.isDatagram() && r.id() != id) continue;
                CompletableFuture<Boolean> f = pending.remove(key(r.from(), r.seq()));
                if (f != null) f.complete(true);
            } catch (Exception e) {
                if (!closed) LOG.log(System.Logger.Level.WARNING, "ICMP echo socket: " + e.getMessage());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private static String key(InetAddress a, int seq) {
        return a.getHostAddress() + "#" + seq;
    }

    /**
     * Sends one echo request; completes true on the reply, false on timeout; exceptionally if the socket cannot be
     * opened or the send fails.
     */
    public CompletableFuture<Boolean> ping(InetAddress dst, long timeoutMillis, EventLoop loop) {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        boolean ipv6 = dst instanceof Inet6Address;
        String k = null;
        try {
            IcmpEchoSocket s = socket(ipv6);
            int sq;
            // Skip sequence numbers still in flight to this address (wrap-around at 65536).
            do {
                sq = seq.incrementAndGet() & 0xffff;
                k = key(dst, sq);
            } while (pending.putIfAbsent(k, f) != null);
            String kk = k;
            ScheduledFuture<?> to = loop.schedule(() -> {
                if (pending.remove(kk, f)) f.complete(false);
            }, timeoutMillis, TimeUnit.MILLISECONDS);
            f.whenComplete((ok, e) -> to.cancel(false));
            s.send(dst, id, sq, PAYLOAD);
        } catch (Exception e) {
            if (k != null) pending.remove(k, f);
            f.completeExceptionally(e);
        }
        return f;
    }

    @Override
    public void close() {
        closed = true;
        IcmpEchoSocket a = v4, b = v6;
        if (a != null) a.close();
        if (b != null) b.close();
    }
}
