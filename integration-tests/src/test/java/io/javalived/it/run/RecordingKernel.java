package io.javalived.it.run;

import io.javalived.cli.director.Director;
import io.javalived.ipvs.DestEntry;
import io.javalived.ipvs.IpvsClient.OpResult;
import io.javalived.ipvs.IpvsOp;
import io.javalived.ipvs.IpvsStats;
import io.javalived.ipvs.IpvsTable;
import io.javalived.ipvs.RealServer;
import io.javalived.ipvs.ServiceEntry;
import io.javalived.ipvs.ServiceKey;
import io.javalived.ipvs.VirtualServer;
import io.javalived.netlink.NetlinkException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory IPVS table for the Director (this host has no IPVS): applies ops like the kernel does and records, per
 * destination port, the {@link System#nanoTime()} at which the Director deleted it (or set its weight to 0).
 */
final class RecordingKernel implements Director.Kernel {
    private final Map<ServiceKey, VirtualServer> services = new LinkedHashMap<>();
    private final Map<ServiceKey, Map<RealServer.DestKey, RealServer>> dests = new LinkedHashMap<>();
    /** destination port -> nanoTime of its removal. */
    final Map<Integer, Long> removedAt = new ConcurrentHashMap<>();
    /** destination port -> nanoTime of its (first) addition. */
    final Map<Integer, Long> addedAt = new ConcurrentHashMap<>();

    @Override
    public synchronized IpvsTable readOwned(Set<ServiceKey> owned) {
        List<IpvsTable.Service> l = new ArrayList<>();
        for (VirtualServer s : services.values()) {
            List<DestEntry> d = new ArrayList<>();
            if (owned.contains(s.key())) {
                for (RealServer r : dests.get(s.key()).values()) {
                    d.add(new DestEntry(r, 0, 0, 0, IpvsStats.ZERO));
                }
            }
            l.add(new IpvsTable.Service(new ServiceEntry(s, IpvsStats.ZERO), d));
        }
        return new IpvsTable(l);
    }

    @Override
    public synchronized List<OpResult> applyAll(List<IpvsOp> ops) {
        long now = System.nanoTime();
        List<OpResult> out = new ArrayList<>();
        for (IpvsOp op : ops) {
            boolean ok = switch (op.kind()) {
                case ADD_SERVICE -> services.putIfAbsent(op.key(), op.service()) == null
                        && dests.put(op.key(), new LinkedHashMap<>()) == null;
                case EDIT_SERVICE -> services.replace(op.key(), op.service()) != null;
                case DELETE_SERVICE -> services.remove(op.key()) != null && dests.remove(op.key()) != null;
                case ADD_DEST -> dests.containsKey(op.key())
                        && dests.get(op.key()).putIfAbsent(op.dest().key(), op.dest()) == null;
                case EDIT_DEST -> dests.containsKey(op.key())
                        && dests.get(op.key()).replace(op.dest().key(), op.dest()) != null;
                case DELETE_DEST -> dests.containsKey(op.key())
                        && dests.get(op.key()).remove(op.dest().key()) != null;
            };
            if (ok && op.kind() == IpvsOp.Kind.ADD_DEST) {
                addedAt.putIfAbsent(op.dest().port(), now);
            }
            if (ok && (op.kind() == IpvsOp.Kind.DELETE_DEST
                    || op.kind() == IpvsOp.Kind.EDIT_DEST && op.dest().weight() == 0)) {
                removedAt.putIfAbsent(op.dest().port(), now);
            }
            out.add(new OpResult(op, ok ? null : new NetlinkException(op.kind().name(), 2, "")));
        }
        return out;
    }

    @Override
    public synchronized void flush() {
        services.clear();
        dests.clear();
    }
}
