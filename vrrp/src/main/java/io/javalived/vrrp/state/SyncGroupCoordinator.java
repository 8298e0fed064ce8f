package io.javalived.vrrp.state;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A vrrp_sync_group: its members move together, as keepalived 2.2.7 moves them.
 * <ul>
 *   <li>FAULT: when one member faults, every other member goes to FAULT (a MASTER sends priority 0 and removes its
 *       VIPs); the group leaves FAULT only when no member has a fault of its own, then every member goes to BACKUP
 *       (an address owner configured MASTER to MASTER).</li>
 *   <li>MASTER: a BACKUP whose master-down timer expires becomes MASTER only when every other member wants MASTER
 *       too (its own timer expired, or it is MASTER) — "prefer backup state to avoid thrashing"; otherwise it stays
 *       BACKUP and retries after master_down. When one member becomes MASTER the others follow at once.</li>
 *   <li>BACKUP: when a MASTER member steps down (higher-priority advert) the other MASTER members step down too.</li>
 *   <li>A MASTER member receiving a lower-priority advert makes every MASTER member send its
 *       garp_lower_prio_repeat gratuitous ARPs / NAs.</li>
 *   <li>javalived: a member holding the VIPs it found at start (see {@link VrrpStateMachine#keepVirtualIpsAtStart})
 *       counts as wanting MASTER and follows the first member that becomes MASTER at once; if its window ends while
 *       another member does not want MASTER, it releases them and is BACKUP.</li>
 * </ul>
 * Pure and not thread-safe, like {@link VrrpStateMachine}: route EVERY input of every member through
 * {@link #dispatch} (and start them with {@link #start}), then perform each member's actions in the returned
 * order.
 */
public final class SyncGroupCoordinator {

    /** The group's state changed (for the sync group's notify scripts). */
    public record GroupChange(VrrpState from, VrrpState to) {}

    /**
     * Actions per member, in the order to perform them (the member the input was for first), and the group's
     * state change if any.
     */
    public record SyncResult(Map<VrrpStateMachine, List<VrrpAction>> actions, GroupChange groupChange) {
        /** All actions of one member (empty if none). */
        public List<VrrpAction> of(VrrpStateMachine m) {
            return actions.getOrDefault(m, List.of());
        }
    }

    private final String name;
    private final List<VrrpStateMachine> members;
    private VrrpState groupState = VrrpState.INIT;

    public SyncGroupCoordinator(String name, List<VrrpStateMachine> members) {
        this.name = Objects.requireNonNull(name, "name");
        this.members = List.copyOf(members);
        if (this.members.isEmpty()) {
            throw new IllegalArgumentException("sync group " + name + " has no members");
        }
        SyncGate gate = this::canGoMaster;
        for (VrrpStateMachine m : this.members) {
            m.setGate(gate);
        }
    }

    public String name() {
        return name;
    }

    public List<VrrpStateMachine> members() {
        return members;
    }

    /** FAULT if any member has a fault, MASTER if all are MASTER, BACKUP otherwise (INIT before start). */
    public VrrpState groupState() {
        return groupState;
    }

    /** Starts every member (faults reported before start are honoured group-wide). */
    public SyncResult start(long now) {
        Map<VrrpStateMachine, List<VrrpAction>> out = new LinkedHashMap<>();
        for (VrrpStateMachine m : members) {
            m.setGroupFaultSilently(anyOtherOwnFault(m));
        }
        Deque<VrrpAction.StateChanged> changes = new ArrayDeque<>();
        for (VrrpStateMachine m : members) {
            add(out, m, m.start(now), changes);
        }
        return settle(now, members.get(0), out, changes);
    }

    /**
     * Applies one input to {@code member} ({@code input} calls e.g. {@code m -> m.onAdvert(now, adv)}) and moves
     * the other members as the group requires.
     */
    public SyncResult dispatch(long now, VrrpStateMachine member,
                               Function<VrrpStateMachine, List<VrrpAction>> input) {
        if (!members.contains(member)) {
            throw new IllegalArgumentException(member.name() + " is not a member of sync group " + name);
        }
        Map<VrrpStateMachine, List<VrrpAction>> out = new LinkedHashMap<>();
        Deque<VrrpAction.StateChanged> changes = new ArrayDeque<>();
        List<VrrpAction> own = input.apply(member);
        add(out, member, own, changes);
        if (own.stream().anyMatch(a -> a instanceof VrrpAction.MasterReceivedLowerPriority)) {
            for (VrrpStateMachine m : members) {
                if (m != member) {
                    add(out, m, m.syncLowerPriorityGarp(now), changes);
                }
            }
        }
        return settle(now, member, out, changes);
    }

    private SyncResult settle(long now, VrrpStateMachine origin, Map<VrrpStateMachine, List<VrrpAction>> out,
                              Deque<VrrpAction.StateChanged> changes) {
        String group = "VRRP_Group(" + name + ") ";
        // 1. faults: a member is held in FAULT while any other member has its own fault.
        boolean syncedFault = false;
        for (VrrpStateMachine m : members) {
            List<VrrpAction> a = m.setGroupFault(now, anyOtherOwnFault(m));
            if (a.stream().anyMatch(x -> x instanceof VrrpAction.StateChanged c && c.to() == VrrpState.FAULT)) {
                syncedFault = true;
            }
            add(out, m, a, changes);
        }
        if (syncedFault) {
            log(out, origin, group + "Syncing instances to FAULT state");
        }
        // 2. MASTER / BACKUP propagation, until nothing moves (bounded: each member changes a few times at most).
        boolean loggedMaster = false;
        boolean loggedBackup = false;
        int guard = members.size() * 8 + 8;
        while (!changes.isEmpty() && guard-- > 0) {
            VrrpAction.StateChanged c = changes.poll();
            if (c.to() == VrrpState.MASTER) {
                for (VrrpStateMachine m : members) {
                    if (m.state() == VrrpState.BACKUP || m.holdingVirtualIps()) {
                        if (!loggedMaster) {
                            loggedMaster = true;
                            log(out, origin, group + "Syncing instances to MASTER state");
                        }
                        add(out, m, m.syncGotoMaster(now), changes);
                    }
                }
            } else if (c.to() == VrrpState.BACKUP
                    && (c.from() == VrrpState.MASTER || c.from() == VrrpState.FAULT)) {
                for (VrrpStateMachine m : members) {
                    boolean movable = m.state() == VrrpState.MASTER
                            || (m.state() == VrrpState.FAULT && !m.ownFault() && !m.groupFault());
                    if (movable) {
                        if (!loggedBackup) {
                            loggedBackup = true;
                            log(out, origin, group + "Syncing instances to BACKUP state");
                        }
                        add(out, m, m.syncToBackup(now), changes);
                    }
                }
            }
        }
        VrrpState before = groupState;
        groupState = computeGroupState();
        GroupChange gc = before != groupState ? new GroupChange(before, groupState) : null;
        return new SyncResult(out, gc);
    }

    private VrrpState computeGroupState() {
        boolean allMaster = true;
        boolean anyInit = false;
        for (VrrpStateMachine m : members) {
            if (m.state() == VrrpState.FAULT) {
                return VrrpState.FAULT;
            }
            if (m.state() == VrrpState.INIT) {
                anyInit = true;
            }
            if (m.state() != VrrpState.MASTER) {
                allMaster = false;
            }
        }
        if (members.stream().allMatch(m -> m.state() == VrrpState.STOP)) {
            return VrrpState.STOP;
        }
        if (anyInit) {
            return VrrpState.INIT;
        }
        return allMaster ? VrrpState.MASTER : VrrpState.BACKUP;
    }

    private boolean canGoMaster(VrrpStateMachine member) {
        for (VrrpStateMachine m : members) {
            if (m != member && m.state() != VrrpState.STOP && !m.wantsMaster()) {
                return false;
            }
        }
        return true;
    }

    private boolean anyOtherOwnFault(VrrpStateMachine member) {
        for (VrrpStateMachine m : members) {
            if (m != member && m.ownFault() && m.state() != VrrpState.STOP) {
                return true;
            }
        }
        return false;
    }

    private static void add(Map<VrrpStateMachine, List<VrrpAction>> out, VrrpStateMachine m, List<VrrpAction> a,
                            Deque<VrrpAction.StateChanged> changes) {
        if (a.isEmpty()) {
            return;
        }
        out.computeIfAbsent(m, k -> new ArrayList<>()).addAll(a);
        for (VrrpAction x : a) {
            if (x instanceof VrrpAction.StateChanged c) {
                changes.add(c);
            }
        }
    }

    private static void log(Map<VrrpStateMachine, List<VrrpAction>> out, VrrpStateMachine m, String line) {
        out.computeIfAbsent(m, k -> new ArrayList<>()).add(new VrrpAction.Log(Level.INFO, line));
    }
}
