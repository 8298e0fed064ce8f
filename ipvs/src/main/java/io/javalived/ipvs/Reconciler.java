package io.javalived.ipvs;

import io.javalived.ipvs.IpvsClient.OpResult;
import io.javalived.netlink.NetlinkException;
import io.javalived.netlink.ffi.Errno;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Brings the kernel's IPVS table to a desired state with the fewest changes.
 *
 * <p><b>Ownership.</b> The reconciler owns exactly the services whose keys the desired table names, plus the keys
 * the caller says it owned before (services it created earlier and that have since left the configuration, which it
 * must delete). Every other service in the kernel — created by ipvsadm, another daemon, a previous configuration it
 * no longer knows — is never read beyond the service list, never edited, never deleted, and neither are its
 * destinations. Within an owned service every destination is the reconciler's: destinations not desired are deleted.
 * It never flushes.
 *
 * <p><b>Minimal edit.</b> A desired service missing from the kernel is added, then its destinations; a present one is
 * edited only if its scheduler, flags, persistence engine or (when persistent) timeout/netmask differ; destinations
 * are added, edited (forwarding, weight, thresholds, tunnel settings) or deleted one by one. Nothing else is sent.
 *
 * <p><b>Failures.</b> All changes go out as one batch. If any destination of a service created by this run fails, the
 * service is deleted again, so no half-built service stays in the kernel. The result lists every failed change.
 */
public final class Reconciler {
    private Reconciler() {
    }

    /** A desired service and its destinations. */
    public record Desired(Service service, List<Destination> servers) {
        public Desired {
            servers = List.copyOf(servers);
        }

        public ServiceKey key() {
            return service.key();
        }
    }

    /**
     * The computed change list.
     *
     * @param ops      changes in the order they must be applied
     * @param creating services this plan adds (rolled back if any of their destinations fails)
     * @param deleting owned services this plan deletes
     */
    public record Plan(List<IpvsOp> ops, Set<ServiceKey> creating, Set<ServiceKey> deleting,
                       Set<ServiceKey> desiredKeys) {
        public boolean isEmpty() {
            return ops.isEmpty();
        }
    }

    /** Where changes are applied: the real {@link IpvsClient}, or a fake in unit tests. */
    public interface Sink {
        List<OpResult> applyAll(List<IpvsOp> ops) throws NetlinkException;
    }

    /**
     * The outcome of {@link #apply}.
     *
     * @param results    one per planned change, in order
     * @param rollback   the service deletions sent to undo half-built services, with their results
     * @param ownedAfter what the caller should pass as previously owned next time
     */
    public record Result(Plan plan, List<OpResult> results, List<OpResult> rollback, Set<ServiceKey> ownedAfter) {
        /** The changes that failed (planned changes, then rollback deletions). */
        public List<OpResult> failed() {
            List<OpResult> f = new ArrayList<>();
            for (OpResult r : results) {
                if (!r.ok()) {
                    f.add(r);
                }
            }
            for (OpResult r : rollback) {
                if (!r.ok()) {
                    f.add(r);
                }
            }
            return f;
        }

        public boolean ok() {
            return failed().isEmpty();
        }

        /** The services rolled back (deleted again because a destination could not be added). */
        public List<ServiceKey> rolledBack() {
            List<ServiceKey> out = new ArrayList<>();
            for (OpResult r : rollback) {
                out.add(r.op().key());
            }
            return out;
        }
    }

    /** Indexes a desired list by key; a key named twice is an error. */
    public static Map<ServiceKey, Desired> index(Collection<Desired> desired) {
        Map<ServiceKey, Desired> m = new LinkedHashMap<>();
        for (Desired d : desired) {
            if (m.put(d.key(), d) != null) {
                throw new IllegalArgumentException("virtual server " + d.key() + " is defined twice");
            }
        }
        return m;
    }

    /**
     * Computes the minimal change list. Pure.
     *
     * @param desired         desired services by key
     * @param current         the kernel's table (at least every owned service that exists; others are ignored)
     * @param previouslyOwned keys owned before (to delete those no longer desired); may be empty
     */
    public static Plan plan(Map<ServiceKey, Desired> desired, IpvsTable current, Set<ServiceKey> previouslyOwned) {
        List<IpvsOp> deletes = new ArrayList<>();
        List<IpvsOp> changes = new ArrayList<>();
        List<IpvsOp> adds = new ArrayList<>();
        Set<ServiceKey> creating = new LinkedHashSet<>();
        Set<ServiceKey> deleting = new LinkedHashSet<>();

        // owned services that left the configuration
        for (ServiceKey k : previouslyOwned) {
            if (!desired.containsKey(k)) {
                IpvsTable.Row cur = current.get(k);
                if (cur != null) {
                    deletes.add(IpvsOp.deleteService(cur.service()));
                    deleting.add(k);
                }
            }
        }
        for (Desired d : desired.values()) {
            Service want = d.service();
            IpvsTable.Row cur = current.get(d.key());
            Map<Destination.DestKey, Destination> wantDests = new LinkedHashMap<>();
            for (Destination r : d.servers()) {
                wantDests.put(r.key(), r);
            }
            if (cur == null) {
                creating.add(d.key());
                adds.add(IpvsOp.addService(want));
                for (Destination r : wantDests.values()) {
                    adds.add(IpvsOp.addDest(want, r));
                }
                continue;
            }
            if (!cur.service().sameSettings(want) || !want.sameSettings(cur.service())) {
                changes.add(IpvsOp.editService(want));
            }
            Map<Destination.DestKey, Destination> have = new LinkedHashMap<>();
            for (DestEntry e : cur.dests()) {
                have.put(e.server().key(), e.server());
            }
            for (Destination h : have.values()) {
                if (!wantDests.containsKey(h.key())) {
                    deletes.add(IpvsOp.deleteDest(want, h));
                }
            }
            for (Destination w : wantDests.values()) {
                Destination h = have.get(w.key());
                if (h == null) {
                    adds.add(IpvsOp.addDest(want, w));
                } else if (!h.equals(w)) {
                    changes.add(IpvsOp.editDest(want, w));
                }
            }
        }
        List<IpvsOp> ops = new ArrayList<>(deletes.size() + changes.size() + adds.size());
        ops.addAll(deletes);
        ops.addAll(changes);
        ops.addAll(adds);
        return new Plan(List.copyOf(ops), Set.copyOf(creating), Set.copyOf(deleting), Set.copyOf(desired.keySet()));
    }

    /**
     * Applies a plan as one batch, then deletes again every service this plan created whose destinations did not all
     * make it in. If the batch itself fails (socket error, timeout), the services being created are deleted (best
     * effort) and the error is rethrown.
     */
    public static Result apply(Sink sink, Plan plan) throws NetlinkException {
        if (plan.isEmpty()) {
            return new Result(plan, List.of(), List.of(), plan.desiredKeys());
        }
        List<OpResult> results;
        try {
            results = sink.applyAll(plan.ops());
        } catch (NetlinkException e) {
            List<IpvsOp> undo = new ArrayList<>();
            for (IpvsOp op : plan.ops()) {
                if (op.kind() == IpvsOp.Kind.ADD_SERVICE) {
                    undo.add(IpvsOp.deleteService(op.service()));
                }
            }
            try {
                if (!undo.isEmpty()) {
                    sink.applyAll(undo);
                }
            } catch (NetlinkException ignored) {
                e.addSuppressed(ignored);
            }
            throw e;
        }
        // services created now with a destination that failed: undo them
        Set<ServiceKey> created = new LinkedHashSet<>();
        Set<ServiceKey> broken = new LinkedHashSet<>();
        for (OpResult r : results) {
            IpvsOp op = r.op();
            if (op.kind() == IpvsOp.Kind.ADD_SERVICE && r.ok()) {
                created.add(op.key());
            } else if (op.kind() == IpvsOp.Kind.ADD_DEST && !r.ok() && created.contains(op.key())) {
                broken.add(op.key());
            }
        }
        List<IpvsOp> undo = new ArrayList<>();
        for (OpResult r : results) {
            if (r.op().kind() == IpvsOp.Kind.ADD_SERVICE && broken.contains(r.op().key())) {
                undo.add(IpvsOp.deleteService(r.op().service()));
            }
        }
        List<OpResult> rollback = undo.isEmpty() ? List.of() : sink.applyAll(undo);
        Set<ServiceKey> ownedAfter = new LinkedHashSet<>(plan.desiredKeys());
        for (OpResult r : results) {
            if (r.op().kind() == IpvsOp.Kind.DELETE_SERVICE && !r.ok() && r.error().errno() != Errno.ESRCH) {
                ownedAfter.add(r.op().key()); // still there: still ours to delete next time
            }
        }
        return new Result(plan, results, rollback, Set.copyOf(ownedAfter));
    }

    /**
     * Reads what {@link #plan} needs from the kernel: the service list, and the destinations of the owned services
     * only (others are not read further).
     */
    public static IpvsTable readOwned(IpvsClient client, Set<ServiceKey> owned) throws NetlinkException {
        List<IpvsTable.Row> list = new ArrayList<>();
        for (ServiceEntry s : client.services()) {
            if (owned.contains(s.key())) {
                List<DestEntry> dests;
                try {
                    dests = client.destinations(s.key());
                } catch (NetlinkException e) {
                    if (e.errno() == Errno.ESRCH) {
                        continue;
                    }
                    throw e;
                }
                list.add(new IpvsTable.Row(s, dests));
            }
        }
        return new IpvsTable(list);
    }

    /** Reads the owned part of the kernel table, plans, and applies. */
    public static Result reconcile(IpvsClient client, Map<ServiceKey, Desired> desired,
                                   Set<ServiceKey> previouslyOwned) throws NetlinkException {
        Set<ServiceKey> owned = new LinkedHashSet<>(desired.keySet());
        owned.addAll(previouslyOwned);
        IpvsTable current = readOwned(client, owned);
        return apply(client::applyAll, plan(desired, current, previouslyOwned));
    }
}
