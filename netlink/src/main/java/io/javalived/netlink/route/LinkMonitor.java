package io.javalived.netlink.route;

import io.javalived.netlink.ffi.NativeException;
import java.io.Closeable;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Link state from rtnetlink: an RTM_GETLINK dump at start, then RTNLGRP_LINK notifications on a daemon thread
 * (woken by shutdown(2) at {@link #close()}). A link is "up" when it is administratively UP and RUNNING (carrier), as
 * keepalived's track_interface sees it.
 */
public final class LinkMonitor implements Closeable {
    private static final Logger LOG = System.getLogger("io.javalived.netlink.route");
    static final int RTM_NEWLINK = 16, RTM_DELLINK = 17, RTM_GETLINK = 18;
    static final int IFLA_ADDRESS = 1, IFLA_IFNAME = 3, IFLA_MTU = 4, IFLA_OPERSTATE = 16;
    public static final int IFF_UP = 0x1, IFF_RUNNING = 0x40, IFF_LOWER_UP = 0x10000;
    static final int RTNLGRP_LINK = 1;

    /** One link as last reported. */
    public record Link(int index, String name, int flags, byte[] hardwareAddress) {
        public boolean up() {
            return (flags & IFF_UP) != 0 && (flags & IFF_RUNNING) != 0;
        }
    }

    /** Called with the link's new state, or with {@code removed} true when it disappeared. */
    public interface Listener {
        void linkChanged(Link link, boolean removed);
    }

    private final RtnlSocket events;
    private final Map<Integer, Link> byIndex = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;

    public LinkMonitor() throws NativeException {
        events = new RtnlSocket(1 << (RTNLGRP_LINK - 1));
        events.setReceiveTimeout(200);
        for (Link l : dump()) {
            byIndex.put(l.index(), l);
        }
        thread = new Thread(this::loop, "rtnl-link-monitor");
        thread.setDaemon(true);
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
        try (RtnlSocket s = new RtnlSocket(0)) {
            ByteBuffer m = RtnlSocket.message(RTM_GETLINK, RtnlSocket.NLM_F_REQUEST | RtnlSocket.NLM_F_DUMP, 16);
            m.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(0).putInt(0).putInt(0);
            List<Link> out = new ArrayList<>();
            s.dump(m, "list links", msg -> {
                Link l = parse(msg);
                if (l != null) {
                    out.add(l);
                }
            });
            return out;
        }
    }

    private void loop() {
        try {
            while (events.receiveNotifications(this::onMessage)) {
                // keep reading
            }
        } catch (NativeException e) {
            LOG.log(Level.ERROR, "Netlink link monitor stopped: " + e.getMessage());
        }
    }

    private void onMessage(ByteBuffer msg) {
        int type = msg.getShort(4) & 0xffff;
        if (type != RTM_NEWLINK && type != RTM_DELLINK) {
            return;
        }
        Link l = parse(msg);
        if (l == null) {
            return;
        }
        boolean removed = type == RTM_DELLINK;
        Link before = removed ? byIndex.remove(l.index()) : byIndex.put(l.index(), l);
        if (before == null || before.up() != l.up() || removed) {
            for (Listener li : listeners) {
                li.linkChanged(l, removed);
            }
        }
    }

    static Link parse(ByteBuffer msg) {
        if (msg.limit() < 32) {
            return null;
        }
        int index = msg.getInt(20);
        int flags = msg.getInt(24);
        String name = null;
        byte[] hw = null;
        int pos = 32;
        while (pos + 4 <= msg.limit()) {
            int len = msg.getShort(pos) & 0xffff;
            int type = msg.getShort(pos + 2) & 0x3fff;
            if (len < 4 || pos + len > msg.limit()) {
                break;
            }
            byte[] v = new byte[len - 4];
            for (int i = 0; i < v.length; i++) {
                v[i] = msg.get(pos + 4 + i);
            }
            if (type == IFLA_IFNAME) {
                name = new String(v, StandardCharsets.US_ASCII).replace("\0", "");
            } else if (type == IFLA_ADDRESS) {
                hw = v;
            }
            pos += (len + 3) & ~3;
        }
        return name == null ? null : new Link(index, name, flags, hw);
    }

    @Override
    public void close() {
        events.shutdown();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        events.close();
    }
}
