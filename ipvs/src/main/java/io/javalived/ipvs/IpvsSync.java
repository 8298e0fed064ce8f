package io.javalived.ipvs;

import io.javalived.ipvs.IpvsClient.OpResult;
import io.javalived.ipvs.Reconciler.Desired;
import io.javalived.netlink.NetlinkException;
import io.javalived.netlink.ffi.Errno;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The director's long-lived view of the services it owns: {@link Reconciler} with memory. The first
 * {@link #sync} reads the owned part of the kernel table; later ones plan against what this object knows it wrote,
 * so a change to one destination costs exactly one netlink message, reads included. It reads the kernel again only
 * for services it has not seen yet (a key newly named by the configuration: it may already exist), for services
 * whose last change failed, and after {@link #resync()} (call it periodically or after an external change).
 * Ownership and rollback are the {@link Reconciler}'s. Not thread-safe: one caller (the director's IPVS thread).
 */
public final class IpvsSync {
    private final IpvsClient client;
    private final Map<ServiceKey, IpvsTable.Row> known = new HashMap<>();
    private final Set<ServiceKey> dirty = new HashSet<>();
    private Set<ServiceKey> owned = Set.of();
    private boolean loaded;

    public IpvsSync(IpvsClient client) {
        this.client = client;
    }

    /** The keys this director owns (to delete on shutdown: {@code sync(Map.of())}). */
    public Set<ServiceKey> owned() {
        return owned;
    }

    /** Forget what is known: the next sync reads the owned services from the kernel again. */
    public void resync() {
        loaded = false;
        known.clear();
        dirty.clear();
    }

    /** Brings the owned services to {@code desired}; see {@link Reconciler#apply}. */
    public Reconciler.Result sync(Map<ServiceKey, Desired> desired) throws NetlinkException {
        Set<ServiceKey> need = new LinkedHashSet<>(desired.keySet());
        need.addAll(owned);
        if (!loaded) {
            known.clear();
            for (IpvsTable.Row s : Reconciler.readOwned(client, need).services()) {
                known.put(s.key(), s);
            }
            dirty.clear();
            loaded = true;
        } else {
            for (ServiceKey k : need) {
                if (dirty.contains(k) || (!owned.contains(k) && !known.containsKey(k))) {
                    refresh(k);
                }
            }
        }
        List<IpvsTable.Row> cur = new ArrayList<>();
        for (ServiceKey k : need) {
            IpvsTable.Row s = known.get(k);
            if (s != null) {
                cur.add(s);
            }
        }
        Reconciler.Plan plan = Reconciler.plan(desired, new IpvsTable(cur), owned);
        Reconciler.Result result;
        try {
            result = Reconciler.apply(client::applyAll, plan);
        } catch (NetlinkException e) {
            resync(); // unknown outcome: read everything next time
            throw e;
        }
        for (OpResult r : result.results()) {
            record(r);
        }
        for (OpResult r : result.rollback()) {
            record(r);
        }
        owned = result.ownedAfter();
        known.keySet().retainAll(owned);
        return result;
    }

    private void refresh(ServiceKey k) throws NetlinkException {
        dirty.remove(k);
        ServiceEntry e = client.service(k);
        if (e == null) {
            known.remove(k);
            return;
        }
        try {
            known.put(k, new IpvsTable.Row(e, client.destinations(k)));
        } catch (NetlinkException x) {
            if (x.errno() != Errno.ESRCH) {
                throw x;
            }
            known.remove(k);
        }
    }

    /** Folds one applied change into what is known (a failed one marks its service for a fresh read). */
    private void record(OpResult r) {
        IpvsOp op = r.op();
        ServiceKey k = op.key();
        if (!r.ok()) {
            dirty.add(k);
            return;
        }
        IpvsTable.Row s = known.get(k);
        switch (op.kind()) {
            case ADD_SERVICE -> known.put(k, new IpvsTable.Row(new ServiceEntry(op.service(), IpvsStats.ZERO),
                    List.of()));
            case EDIT_SERVICE -> {
                if (s != null) {
                    known.put(k, new IpvsTable.Row(new ServiceEntry(op.service(), IpvsStats.ZERO), s.dests()));
                }
            }
            case DELETE_SERVICE -> known.remove(k);
            case ADD_DEST, EDIT_DEST, DELETE_DEST -> {
                if (s == null) {
                    dirty.add(k);
                    return;
                }
                List<DestEntry> ds = new ArrayList<>(s.dests());
                ds.removeIf(d -> d.server().key().equals(op.dest().key()));
                if (op.kind() != IpvsOp.Kind.DELETE_DEST) {
                    ds.add(new DestEntry(op.dest(), 0, 0, 0, IpvsStats.ZERO));
                }
                known.put(k, new IpvsTable.Row(s.entry(), ds));
            }
            default -> throw new IllegalStateException();
        }
    }
}
