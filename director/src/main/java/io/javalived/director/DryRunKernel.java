package io.javalived.director;

import io.javalived.ipvs.DestEntry;
import io.javalived.ipvs.IpvsClient.OpResult;
import io.javalived.ipvs.IpvsOp;
import io.javalived.ipvs.IpvsStats;
import io.javalived.ipvs.IpvsTable;
import io.javalived.ipvs.Destination;
import io.javalived.ipvs.ServiceEntry;
import io.javalived.ipvs.ServiceKey;
import io.javalived.ipvs.Service;
import io.javalived.netlink.NetlinkException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An IPVS table in memory, for {@code javalived run --ipvs-dry-run} on a host without IPVS (the demo, trying a
 * configuration): the director programs it exactly as it would program the kernel, with the kernel's rules (adding an
 * existing service or destination fails with EEXIST, editing or deleting a missing one with ENOENT), and
 * {@link #table()} shows what the kernel would hold.
 */
public class DryRunKernel implements Director.Kernel {
    private static final int EEXIST = 17;
    private static final int ENOENT = 2;
    private final Map<ServiceKey, Service> services = new LinkedHashMap<>();
    private final Map<ServiceKey, Map<Destination.DestKey, Destination>> dests = new LinkedHashMap<>();
    /** The kernel's defaults until set. */
    private io.javalived.ipvs.IpvsTimeouts timeouts = new io.javalived.ipvs.IpvsTimeouts(900, 120, 300);

    @Override
    public synchronized io.javalived.ipvs.IpvsTimeouts timeouts() {
        return timeouts;
    }

    /** As the kernel: 0 leaves a value unchanged. */
    @Override
    public synchronized void setTimeouts(io.javalived.ipvs.IpvsTimeouts t) {
        timeouts = new io.javalived.ipvs.IpvsTimeouts(t.tcp() > 0 ? t.tcp() : timeouts.tcp(),
                t.tcpFin() > 0 ? t.tcpFin() : timeouts.tcpFin(), t.udp() > 0 ? t.udp() : timeouts.udp());
    }

    @Override
    public IpvsTable readOwned(Set<ServiceKey> owned) throws NetlinkException {
        return snapshot(owned);
    }

    private synchronized IpvsTable snapshot(Set<ServiceKey> owned) {
        List<IpvsTable.Row> l = new ArrayList<>();
        for (Service s : services.values()) {
            List<DestEntry> d = new ArrayList<>();
            if (owned.contains(s.key())) {
                for (Destination r : dests.get(s.key()).values()) {
                    d.add(new DestEntry(r, 0, 0, 0, IpvsStats.ZERO));
                }
            }
            l.add(new IpvsTable.Row(new ServiceEntry(s, IpvsStats.ZERO), d));
        }
        return new IpvsTable(l);
    }

    /** Seeds the table with a service and its destinations, as if another tool had programmed them. */
    public synchronized void put(Service service, Destination... servers) {
        services.put(service.key(), service);
        Map<Destination.DestKey, Destination> m = new LinkedHashMap<>();
        for (Destination r : servers) {
            m.put(r.key(), r);
        }
        dests.put(service.key(), m);
    }

    /** The destinations of a service, or null when the table has no such service. */
    public synchronized List<Destination> destinations(ServiceKey key) {
        Map<Destination.DestKey, Destination> m = dests.get(key);
        return m == null ? null : List.copyOf(m.values());
    }

    /** The whole table, every service with its destinations (zero counters). */
    public synchronized IpvsTable table() {
        return snapshot(services.keySet());
    }

    @Override
    public synchronized List<OpResult> applyAll(List<IpvsOp> ops) {
        List<OpResult> out = new ArrayList<>();
        for (IpvsOp op : ops) {
            int err = apply(op);
            if (err == 0) {
                applied(op);
            }
            out.add(new OpResult(op, err == 0 ? null : new NetlinkException(op.kind().name(), err,
                    err == EEXIST ? "File exists" : "No such file or directory")));
        }
        return out;
    }

    private int apply(IpvsOp op) {
        Map<Destination.DestKey, Destination> ds = dests.get(op.key());
        return switch (op.kind()) {
            case ADD_SERVICE -> {
                if (services.containsKey(op.key())) yield EEXIST;
                services.put(op.key(), op.service());
                dests.put(op.key(), new LinkedHashMap<>());
                yield 0;
            }
            case EDIT_SERVICE -> services.replace(op.key(), op.service()) != null ? 0 : ENOENT;
            case DELETE_SERVICE -> {
                if (services.remove(op.key()) == null) yield ENOENT;
                dests.remove(op.key());
                yield 0;
            }
            case ADD_DEST -> ds == null ? ENOENT : ds.putIfAbsent(op.dest().key(), op.dest()) == null ? 0 : EEXIST;
            case EDIT_DEST -> ds == null || ds.replace(op.dest().key(), op.dest()) == null ? ENOENT : 0;
            case DELETE_DEST -> ds == null || ds.remove(op.dest().key()) == null ? ENOENT : 0;
        };
    }

    /** Called after each op the table accepted (under the table's lock), for subclasses that record. */
    protected void applied(IpvsOp op) {
    }

    @Override
    public synchronized void flush() {
        services.clear();
        dests.clear();
    }
}
