package io.javalived.netlink.route;

import io.javalived.netlink.Netlink;
import io.javalived.netlink.NetlinkFormatException;
import io.javalived.netlink.NetlinkSocket;
import io.javalived.netlink.NlAttr;
import io.javalived.netlink.NlAttrs;
import io.javalived.netlink.NlMessage;
import io.javalived.netlink.ffi.Errno;
import io.javalived.netlink.ffi.NativeException;
import java.io.Closeable;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Link state from rtnetlink: an RTM_GETLINK dump at start, then RTNLGRP_LINK notifications on a daemon thread
 * (which notices {@link #close()} within its 200 ms receive poll; after lost notifications it re-reads every link). A
 * link is "up" when it is administratively UP and RUNNING (carrier), as keepalived's track_interface sees it.
 */
public final class LinkMonitor implements Closeable {
    private static final Logger LOG = System.getLogger("io.javalived.netlink.route");
    static final int RTM_NEWLINK = 16, RTM_DELLINK = 17, RTM_GETLINK = 18;
    static final int IFLA_ADDRESS = 1, IFLA_IFNAME = 3, IFLA_MTU = 4, IFLA_OPERSTATE = 16;
    public static final int IFF_UP = 0x1, IFF_RUNNING = 0x40, IFF_LOWER_UP = 0x10000;
    static final int RTNLGRP_LINK = 1;

    /** One link as last reported. */
    public record Link(int index, String name, int flags, byte[] hardwareAddress) {
        /** IFF_LOOPBACK: the loopback device (lo), which VRRP cannot use. */
        public boolean loopback() {
            return (flags & 0x8) != 0;
        }

        public boolean up() {
            return (flags & IFF_UP) != 0 && (flags & IFF_RUNNING) != 0;
        }
    }

    /** Called with the link's new state, or with {@code removed} true when it disappeared. */
    public interface Listener {
        void linkChanged(Link link, boolean removed);
    }

    /** sizeof(struct ifinfomsg). */
    private static final int IFINFOMSG_LEN = 16;
    /** How often the notification thread looks whether {@link #close()} was called (netlink ignores shutdown(2)). */
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration DRAIN = Duration.ofMillis(1);

    private final NetlinkSocket events;
    private final Map<Integer, Link> byIndex = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean closing;

    public LinkMonitor() throws NativeException {
        events = NetlinkSocket.open(Netlink.NETLINK_ROUTE, 1 << (RTNLGRP_LINK - 1));
        try {
            for (Link l : dump()) {
                byIndex.put(l.index(), l);
            }
        } catch (NativeException | RuntimeException e) {
            events.close();
            throw e;
        }
        thread = new Thread(this::loop, "rtnl-link-monitor");
        thread.setDaemon(true);
    }

    /** For tests: shrinks (or grows) the notification socket's receive buffer; true if it took. */
    boolean setReceiveBufferSize(int bytes) {
        return events.setReceiveBufferSize(bytes);
    }

    public void start() {
        thread.start();
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    /** The link called {@code name}, or null. */
    public Link byName(String name) {
        for (Link l : byIndex.values()) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        return null;
    }

    public Link byIndex(int index) {
        return byIndex.get(index);
    }

    /** A fresh RTM_GETLINK dump (own socket, so the notification thread is undisturbed). */
    public static List<Link> dump() throws NativeException {
        try (NetlinkSocket s = NetlinkSocket.open(Netlink.NETLINK_ROUTE)) {
            return dump(s);
        }
    }

    /** An RTM_GETLINK dump on {@code s} (notifications arriving meanwhile stay queued on it). */
    private static List<Link> dump(NetlinkSocket s) throws NativeException {
        NlMessage.Builder m = NlMessage.builder(RTM_GETLINK, 0)
                .headerU8(0).headerU8(0).headerU16(0).headerU32(0).headerU32(0).headerU32(0)
                .describe("rtnetlink list links");
        List<Link> out = new ArrayList<>();
        for (NlMessage msg : s.dump(m)) {
            Link l = parse(msg);
            if (l != null) {
                out.add(l);
            }
        }
        return out;
    }

    private void loop() {
        while (!closing) {
            try {
                NlMessage m = events.receive(POLL);
                if (m != null) {
                    onMessage(m);
                }
            } catch (NativeException e) {
                if (closing) {
                    return;
                }
                if (e.errno() == Errno.ENOBUFS) {
                    resync(); // notifications were lost: re-read every link
                    continue;
                }
                LOG.log(Level.ERROR, "Netlink link monitor stopped: " + e.getMessage());
                return;
            } catch (RuntimeException e) {
                // a malformed datagram or a failing listener must not end link tracking
                LOG.log(Level.WARNING, "Netlink link monitor: " + e);
            }
        }
    }

    /**
     * After a receive-buffer overrun: drops the notifications still queued (older than the loss, they would undo the
     * fresh state), then a fresh dump, reported as if each difference had been notified.
     */
    private void resync() {
        List<Link> now;
        for (int attempt = 1; ; attempt++) {
            try {
                for (int i = 0; i < 100_000 && events.receive(DRAIN) != null; i++) {
                    // stale: the dump below supersedes it
                }
                now = dump(events); // this socket: its network namespace, whichever thread runs this
                break;
            } catch (NativeException e) {
                if (closing) {
                    return;
                }
                if (e.errno() == Errno.ENOBUFS && attempt < 3) {
                    continue; // overrun again while draining: start over
                }
                LOG.log(Level.WARNING, "Netlink link monitor: re-reading links after lost notifications failed: "
                        + e.getMessage());
                return;
            }
        }
        Map<Integer, Link> gone = new HashMap<>(byIndex);
        for (Link l : now) {
            gone.remove(l.index());
            update(l, false);
        }
        for (Link l : gone.values()) {
            update(l, true);
        }
    }

    private void onMessage(NlMessage msg) {
        int type = msg.type();
        if (type != RTM_NEWLINK && type != RTM_DELLINK) {
            return;
        }
        Link l = parse(msg);
        if (l != null) {
            update(l, type == RTM_DELLINK);
        }
    }

    private void update(Link l, boolean removed) {
        Link before = removed ? byIndex.remove(l.index()) : byIndex.put(l.index(), l);
        if (before == null || before.up() != l.up() || removed) {
            for (Listener li : listeners) {
                li.linkChanged(l, removed);
            }
        }
    }

    /** An RTM_NEWLINK/RTM_DELLINK message as a {@link Link}; null if it has no name or is malformed. */
    static Link parse(NlMessage msg) {
        if (msg.payloadLength() < IFINFOMSG_LEN) {
            return null;
        }
        int index = msg.payloadS32(4);
        int flags = msg.payloadS32(8);
        try {
            NlAttrs attrs = msg.attrs(IFINFOMSG_LEN);
            String name = attrs.string(IFLA_IFNAME, null);
            NlAttr hw = attrs.get(IFLA_ADDRESS);
            return name == null ? null : new Link(index, name, flags, hw == null ? null : hw.bytes());
        } catch (NetlinkFormatException e) {
            return null;
        }
    }

    /** Stops the notification thread (within about 200 ms) and closes the socket. */
    @Override
    public void close() {
        closing = true;
        if (thread.isAlive()) {
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        events.close();
    }
}
