package io.javalived.vrrp.runtime;

import io.javalived.config.model.NotifyScript;
import io.javalived.config.model.VrrpSyncGroup;
import io.javalived.vrrp.notify.Notifier;
import io.javalived.vrrp.state.SyncGroupCoordinator;
import io.javalived.vrrp.state.VrrpAction;
import io.javalived.vrrp.state.VrrpState;
import io.javalived.vrrp.state.VrrpStateMachine;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A running vrrp_sync_group: every input of every member goes through D1's {@link SyncGroupCoordinator} under one
 * lock; each member's resulting actions are performed and the member's thread woken to re-read its timers. The
 * group's notify scripts run on group state changes ({@code GROUP NAME STATE 0}).
 */
final class GroupRuntime {
    private volatile VrrpSyncGroup config; // a reload may change its notify scripts
    private final SyncGroupCoordinator coordinator;
    private final Map<VrrpStateMachine, VrrpInstance> byMachine = new IdentityHashMap<>();
    private final Notifier notifier;
    private VrrpState lastEmailState;
    private final Object lock = new Object();
    private boolean started;

    GroupRuntime(VrrpSyncGroup config, List<VrrpInstance> members, Notifier notifier) {
        this.config = config;
        this.notifier = notifier;
        for (VrrpInstance m : members) {
            byMachine.put(m.machine(), m);
        }
        this.coordinator = new SyncGroupCoordinator(config.name(), members.stream().map(VrrpInstance::machine)
                .toList());
        for (VrrpInstance m : members) {
            m.joinGroup(this);
        }
    }

    /** A reload changed the group's notify scripts or tracking (same members): used from the next group change. */
    void reconfigure(VrrpSyncGroup changed) {
        this.config = changed;
    }

    String name() {
        return config.name();
    }

    Object lock() {
        return lock;
    }

    void startOnce(long now) {
        synchronized (lock) {
            if (started) {
                return;
            }
            started = true;
            apply(coordinator.start(now), null);
        }
    }

    void dispatch(long now, VrrpInstance member, Function<VrrpStateMachine, List<VrrpAction>> input) {
        synchronized (lock) {
            if (!started) {
                // input before the group started (initial tracker state): apply to the machine alone
                member.perform(input.apply(member.machine()));
                return;
            }
            apply(coordinator.dispatch(now, member.machine(), input), member);
        }
    }

    private void apply(SyncGroupCoordinator.SyncResult r, VrrpInstance origin) {
        // keepalived (vrrp_init_state): at start the group's notifications come before its members'
        boolean groupFirst = r.groupChange() != null && r.groupChange().from() == VrrpState.INIT;
        if (groupFirst) {
            notifyGroup(r.groupChange().to());
        }
        for (Map.Entry<VrrpStateMachine, List<VrrpAction>> e : r.actions().entrySet()) {
            VrrpInstance i = byMachine.get(e.getKey());
            if (i == null) {
                continue;
            }
            i.perform(e.getValue());
            if (i != origin) {
                i.wake();
            }
        }
        if (!groupFirst && r.groupChange() != null) {
            notifyGroup(r.groupChange().to());
        }
    }

    private void notifyGroup(VrrpState to) {
        if (to != VrrpState.INIT) {
            Optional<NotifyScript> specific = switch (to) {
                case MASTER -> config.notifyMaster();
                case BACKUP -> config.notifyBackup();
                case FAULT -> config.notifyFault();
                case STOP -> config.notifyStop();
                default -> Optional.empty();
            };
            notifier.stateChanged(Notifier.Kind.GROUP, config.name(), to.name(), 0, specific, config.notifyAny());
            if (config.smtpAlert() && lastEmailState != to) {
                lastEmailState = to;
                notifier.mail(Notifier.Kind.GROUP, config.name(), to.name());
            }
        }
    }
}
