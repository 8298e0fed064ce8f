package io.javalived.vrrp.net;

import io.javalived.netlink.ffi.NativeException;
import io.javalived.netlink.inet.Interfaces;
import io.javalived.netlink.inet.NeighbourAnnouncer;
import io.javalived.netlink.inet.RawIpSocket;
import io.javalived.netlink.inet.SockAddr;
import io.javalived.netlink.inet.VrrpSockets;
import io.javalived.netlink.route.AddressManager;
import java.io.Closeable;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.function.Consumer;

/**
 * The kernel side of one VRRP instance: a send socket and a receive socket (own thread, woken by shutdown(2) at
 * {@link #close()}), and the interface's primary address used as advert source.
 */
public final class VrrpHost implements Closeable {
    private static final Logger LOG = System.getLogger("io.javalived.vrrp");

    private final String instance;
    private final String ifname;
    private final int ifindex;
    /** The interface adverts go out of: a VMAC's (use_vmac without vmac_xmit_base), else the instance's. */
    private final String sendIfname;
    private final int sendIfindex;
    private final boolean ipv6;
    private final InetAddress source;
    private volatile List<InetAddress> unicastPeers; // replaced with peerSockaddrs by a reload
    private final InetAddress mcastGroup;
    private final RawIpSocket sender;
    private final RawIpSocket receiver;
    /** Socket addresses of the group and of each unicast peer (same order), built once. */
    private final byte[] groupSockaddr;
    private volatile byte[][] peerSockaddrs;
    private Thread rxThread;

    /**
     * Opens the sockets. {@code source} null = the interface's primary address (first IPv4 / IPv6 link-local).
     */
    public VrrpHost(String instance, String ifname, boolean ipv6, InetAddress source, List<InetAddress> unicastPeers,
                    InetAddress mcastGroup, AddressManager addresses) throws NativeException {
        this(instance, ifname, ifname, ipv6, source, unicastPeers, mcastGroup, addresses);
    }

    /**
     * Like the other constructor, with adverts sent out of {@code sendIfname} (a VMAC interface: the adverts carry its
     * virtual MAC) while they are received on {@code ifname}, whose primary address is the default source.
     */
    public VrrpHost(String instance, String ifname, String sendIfname, boolean ipv6, InetAddress source,
                    List<InetAddress> unicastPeers, InetAddress mcastGroup, AddressManager addresses)
            throws NativeException {
        this.instance = instance;
        this.ifname = ifname;
        this.ipv6 = ipv6;
        this.ifindex = Interfaces.index(ifname);
        this.sendIfname = sendIfname;
        this.sendIfindex = sendIfname.equals(ifname) ? ifindex : Interfaces.index(sendIfname);
        this.unicastPeers = List.copyOf(unicastPeers);
        this.mcastGroup = mcastGroup != null ? mcastGroup : (ipv6 ? VrrpSockets.MCAST_V6 : VrrpSockets.MCAST_V4);
        this.source = source != null ? source : primaryAddress(addresses, ifindex, ipv6, ifname, instance);
        this.groupSockaddr = sockaddr(this.mcastGroup);
        this.peerSockaddrs = sockaddrs(this.unicastPeers);
        this.sender = VrrpSockets.openSender(ipv6, sendIfname, sendIfindex, this.source);
        try {
            this.receiver = VrrpSockets.openReceiver(ipv6, ifname, ifindex, !this.unicastPeers.isEmpty());
        } catch (NativeException e) {
            sender.close();
            throw e;
        }
    }

    /** The interface's first IPv4 address (IPv6: its link-local address). */
    public static InetAddress primaryAddress(AddressManager addresses, int ifindex, boolean ipv6, String ifname,
                                             String instance) throws NativeException {
        for (AddressManager.Address a : addresses.list(ifindex, ipv6 ? 10 : 2)) {
            if ((a.flags() & AddressManager.IFA_F_SECONDARY) != 0) {
                continue;
            }
            if (!ipv6 || (a.address() instanceof Inet6Address && a.address().isLinkLocalAddress())) {
                return a.address();
            }
        }
        throw new NativeException("primary address", 99, "VRRP_Instance(" + instance + ") interface " + ifname
                + " has no " + (ipv6 ? "IPv6 link-local" : "IPv4") + " address - add one or set unicast_src_ip");
    }

    public InetAddress source() {
        return source;
    }

    public String ifname() {
        return ifname;
    }

    public int ifindex() {
        return ifindex;
    }

    public boolean ipv6() {
        return ipv6;
    }

    public boolean unicast() {
        return !unicastPeers.isEmpty();
    }

    public List<InetAddress> unicastPeers() {
        return unicastPeers;
    }

    private byte[][] sockaddrs(List<InetAddress> peers) {
        byte[][] out = new byte[peers.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = sockaddr(peers.get(i));
        }
        return out;
    }

    /**
     * A reload changed the unicast_peer list of this unicast instance (a change between unicast and multicast
     * re-creates the instance instead). Call from the thread that sends.
     */
    public void setUnicastPeers(List<InetAddress> peers) {
        if (peers.isEmpty() || unicastPeers.isEmpty()) {
            throw new IllegalArgumentException("VRRP_Instance(" + instance + "): unicast peers cannot switch "
                    + "between unicast and multicast in place");
        }
        List<InetAddress> copy = List.copyOf(peers);
        byte[][] addrs = sockaddrs(copy);
        peerSockaddrs = addrs;
        unicastPeers = copy;
    }

    /** Sends one VRRP message to the group, or to every unicast peer. Errors are logged, never thrown. */
    public void send(byte[] vrrp, int len) {
        List<InetAddress> peers = unicastPeers;
        byte[][] addrs = peerSockaddrs;
        if (peers.isEmpty()) {
            sendTo(vrrp, len, groupSockaddr, mcastGroup);
        } else {
            for (int i = 0; i < addrs.length && i < peers.size(); i++) {
                sendTo(vrrp, len, addrs[i], peers.get(i));
            }
        }
    }

    /** The multicast group adverts go to. */
    public InetAddress multicastGroup() {
        return mcastGroup;
    }

    /** Sends one VRRP message to one destination. */
    public void sendOne(byte[] vrrp, int len, InetAddress dst) {
        byte[][] addrs = peerSockaddrs;
        int i = unicastPeers.indexOf(dst);
        sendTo(vrrp, len, i >= 0 && i < addrs.length ? addrs[i] : dst.equals(mcastGroup) ? groupSockaddr
                : sockaddr(dst), dst);
    }

    /** The socket address of {@code dst}; IPv6 link-local and multicast destinations scoped to the interface. */
    private byte[] sockaddr(InetAddress dst) {
        return SockAddr.of(dst, ipv6 && dst.isLinkLocalAddress() || ipv6 && dst.isMulticastAddress() ? sendIfindex
                : 0);
    }

    private void sendTo(byte[] vrrp, int len, byte[] sockaddr, InetAddress dst) {
        try {
            sender.send(vrrp, len, sockaddr, dst);
        } catch (NativeException e) {
            LOG.log(Level.WARNING, "VRRP_Instance(" + instance + ") cannot send advert to " + dst.getHostAddress()
                    + " on " + sendIfname + ": " + e.getMessage());
        }
    }

    /**
     * Starts the receive thread; {@code onStart} runs first on it (e.g. to make it real-time before any packet comes),
     * then each datagram goes to {@code sink} on that thread (the datagram is reused).
     */
    public synchronized void startReceiving(Runnable onStart, Consumer<RawIpSocket.Datagram> sink) {
        rxThread = new Thread(() -> {
            onStart.run();
            RawIpSocket.Datagram d = new RawIpSocket.Datagram();
            try {
                while (receiver.receive(d)) {
                    try {
                        sink.accept(d);
                    } catch (RuntimeException e) {
                        LOG.log(Level.ERROR, "VRRP_Instance(" + instance + ") error handling a packet: " + e);
                    }
                }
            } catch (NativeException e) {
                LOG.log(Level.ERROR, "VRRP_Instance(" + instance + ") receive socket failed: " + e.getMessage());
            }
        }, "vrrp-rx-" + instance);
        rxThread.setDaemon(true);
        rxThread.setPriority(Thread.MAX_PRIORITY);
        rxThread.start();
    }

    @Override
    public void close() {
        receiver.shutdown();
        Thread t;
        synchronized (this) {
            t = rxThread;
        }
        if (t != null) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        receiver.close();
        sender.close();
    }

    /** A NeighbourAnnouncer for this interface. */
    public NeighbourAnnouncer announcer() {
        return new NeighbourAnnouncer(ifname, ifindex);
    }
}
