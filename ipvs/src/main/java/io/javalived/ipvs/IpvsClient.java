package io.javalived.ipvs;

import io.javalived.netlink.Netlink;
import io.javalived.netlink.NetlinkException;
import io.javalived.netlink.NetlinkSocket;
import io.javalived.netlink.NlMessage;
import io.javalived.netlink.genl.GenlFamily;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's IPVS table over generic netlink (family "IPVS"). Thread-safe: one request at a time.
 *
 * <p>Errors are {@link NetlinkException}s that name the request (as an ipvsadm command line) and the errno:
 * {@code "-A -t 10.0.0.1:80 -s wlc failed: EEXIST (File exists)"}. Opening fails with {@link IpvsUnavailableException}
 * when the kernel has no IPVS; without CAP_NET_ADMIN reads succeed and changes fail with EPERM.
 */
public final class IpvsClient implements AutoCloseable {
    private final NetlinkSocket socket;
    private final IpvsCodec codec;
    private final GenlFamily family;
    private long changesSent;

    private IpvsClient(NetlinkSocket socket, GenlFamily family) {
        this.socket = socket;
        this.family = family;
        this.codec = new IpvsCodec(family.id());
    }

    /** Opens a generic netlink socket and resolves the IPVS family. */
    public static IpvsClient open() throws NetlinkException {
        NetlinkSocket s = NetlinkSocket.open(Netlink.NETLINK_GENERIC);
        try {
            GenlFamily f = GenlFamily.resolve(s, Ipvs.GENL_NAME);
            // room for the answers of large batches (root can force it; otherwise the default stands)
            s.setReceiveBufferSize(8 << 20);
            s.setSendBufferSize(1 << 20);
            s.setBatchLimits(256 * 1024, 2048);
            return new IpvsClient(s, f);
        } catch (GenlFamily.FamilyNotFoundException e) {
            s.close();
            throw new IpvsUnavailableException();
        } catch (NetlinkException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    public GenlFamily family() {
        return family;
    }

    public NetlinkSocket socket() {
        return socket;
    }

    /** Table changes (add/edit/delete of services and destinations) sent so far, one per netlink message. */
    public synchronized long changesSent() {
        return changesSent;
    }

    // ---- reads ----------------------------------------------------------------------------------------------------

    public IpvsInfo info() throws NetlinkException {
        List<NlMessage> r = socket.request(codec.request(Ipvs.CMD_GET_INFO, 0).describe("IPVS_CMD_GET_INFO"));
        if (r.isEmpty()) {
            throw new NetlinkException("IPVS_CMD_GET_INFO", io.javalived.netlink.ffi.Errno.EIO, "empty answer");
        }
        return IpvsCodec.parseInfo(r.get(0));
    }

    /** Every virtual service, in the kernel's order. */
    public List<ServiceEntry> services() throws NetlinkException {
        List<NlMessage> r = socket.dump(codec.request(Ipvs.CMD_GET_SERVICE, 0).describe("IPVS_CMD_GET_SERVICE (list)"));
        List<ServiceEntry> out = new ArrayList<>(r.size());
        for (NlMessage m : r) {
            out.add(IpvsCodec.parseService(m));
        }
        return out;
    }

    /** One service, or null if the kernel has none with this key. */
    public ServiceEntry service(ServiceKey key) throws NetlinkException {
        NlMessage.Builder b = codec.request(Ipvs.CMD_GET_SERVICE, 0).describe("IPVS_CMD_GET_SERVICE " + key);
        IpvsCodec.serviceKeyOnly(b, key);
        try {
            List<NlMessage> r = socket.request(b);
            return r.isEmpty() ? null : IpvsCodec.parseService(r.get(0));
        } catch (NetlinkException e) {
            if (e.errno() == io.javalived.netlink.ffi.Errno.ESRCH || e.errno() == io.javalived.netlink.ffi.Errno.ENOENT) {
                return null;
            }
            throw e;
        }
    }

    /** The destinations of a service, in the kernel's order. */
    public List<DestEntry> destinations(ServiceKey key) throws NetlinkException {
        NlMessage.Builder b = codec.request(Ipvs.CMD_GET_DEST, 0).describe("IPVS_CMD_GET_DEST " + key);
        IpvsCodec.serviceKeyOnly(b, key);
        List<NlMessage> r = socket.dump(b);
        List<DestEntry> out = new ArrayList<>(r.size());
        for (NlMessage m : r) {
            out.add(IpvsCodec.parseDest(m, key.af()));
        }
        return out;
    }

    /** The whole table: every service with its destinations (kernel order). */
    public IpvsTable table() throws NetlinkException {
        List<IpvsTable.Row> list = new ArrayList<>();
        for (ServiceEntry s : services()) {
            List<DestEntry> d;
            try {
                d = destinations(s.key());
            } catch (NetlinkException e) {
                if (e.errno() == io.javalived.netlink.ffi.Errno.ESRCH) {
                    continue; // deleted meanwhile
                }
                throw e;
            }
            list.add(new IpvsTable.Row(s, d));
        }
        return new IpvsTable(list);
    }

    public IpvsTimeouts timeouts() throws NetlinkException {
        List<NlMessage> r = socket.request(codec.request(Ipvs.CMD_GET_CONFIG, 0).describe("IPVS_CMD_GET_CONFIG"));
        return IpvsCodec.parseTimeouts(r.get(0));
    }

    /** Running sync daemons (0, 1 or 2: master and backup). */
    public List<SyncDaemon> daemons() throws NetlinkException {
        List<SyncDaemon> out = new ArrayList<>();
        for (NlMessage m : socket.dump(codec.request(Ipvs.CMD_GET_DAEMON, 0).describe("IPVS_CMD_GET_DAEMON"))) {
            out.add(IpvsCodec.parseDaemon(m));
        }
        return out;
    }

    // ---- changes --------------------------------------------------------------------------------------------------

    /** Sends one change and waits for its ACK. */
    public void apply(IpvsOp op) throws NetlinkException {
        NlMessage.Builder b = codec.op(op);
        synchronized (this) {
            changesSent++;
        }
        socket.request(b);
    }

    public void addService(Service s) throws NetlinkException {
        apply(IpvsOp.addService(s));
    }

    public void editService(Service s) throws NetlinkException {
        apply(IpvsOp.editService(s));
    }

    public void deleteService(Service s) throws NetlinkException {
        apply(IpvsOp.deleteService(s));
    }

    public void deleteService(ServiceKey k) throws NetlinkException {
        apply(IpvsOp.deleteService(Service.of(k, "")));
    }

    public void addDestination(Service s, Destination d) throws NetlinkException {
        apply(IpvsOp.addDest(s, d));
    }

    public void editDestination(Service s, Destination d) throws NetlinkException {
        apply(IpvsOp.editDest(s, d));
    }

    public void deleteDestination(Service s, Destination d) throws NetlinkException {
        apply(IpvsOp.deleteDest(s, d));
    }

    /** The result of one change of a batch. */
    public record OpResult(IpvsOp op, NetlinkException error) {
        public boolean ok() {
            return error == null;
        }

        @Override
        public String toString() {
            return ok() ? op + ": ok" : error.getMessage();
        }
    }

    /**
     * Applies many changes with as few sends as possible (see {@link NetlinkSocket#batch}); returns one result per
     * change, in order. The kernel applies them in order; a failed change does not stop the others.
     */
    public List<OpResult> applyAll(List<IpvsOp> ops) throws NetlinkException {
        List<NlMessage.Builder> reqs = new ArrayList<>(ops.size());
        for (IpvsOp op : ops) {
            reqs.add(codec.op(op));
        }
        synchronized (this) {
            changesSent += ops.size();
        }
        List<NetlinkSocket.Result> rs = socket.batch(reqs);
        List<OpResult> out = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            out.add(new OpResult(ops.get(i), rs.get(i).error()));
        }
        return out;
    }

    /** Zeroes the counters of every service (ipvsadm -Z). */
    public void zero() throws NetlinkException {
        socket.request(codec.request(Ipvs.CMD_ZERO, 0).describe("-Z"));
    }

    /** Zeroes one service's counters. */
    public void zero(ServiceKey key) throws NetlinkException {
        NlMessage.Builder b = codec.request(Ipvs.CMD_ZERO, 0).describe("-Z " + IpvsText.keyOptions(key));
        IpvsCodec.serviceKeyOnly(b, key);
        socket.request(b);
    }

    /** Deletes every service (ipvsadm -C). The reconciler never calls this. */
    public void flush() throws NetlinkException {
        socket.request(codec.request(Ipvs.CMD_FLUSH, 0).describe("-C"));
    }

    /** Sets connection timeouts; 0 leaves a value unchanged. */
    public void setTimeouts(IpvsTimeouts t) throws NetlinkException {
        socket.request(codec.setTimeouts(t));
    }

    public void startDaemon(SyncDaemon d) throws NetlinkException {
        socket.request(codec.startDaemon(d));
    }

    public void stopDaemon(int state) throws NetlinkException {
        socket.request(codec.stopDaemon(state));
    }

    @Override
    public void close() {
        socket.close();
    }
}
