package io.javalived.vrrp.runtime;

import io.javalived.config.model.VrrpSyncGroup;
import io.javalived.vrrp.notify.Notifier;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * {@code vrrp_sync_group}: when one member becomes MASTER, BACKUP or FAULT, the others are moved to the same state,
 * and the group's notify scripts run once per group transition.
 */
public final class SyncGroup {
    private static final Logger LOG = System.getLogger("io.javalived.vrrp");
    private final VrrpSyncGroup config;
    private final List<VrrpInstance> members;
    private final Notifier notifier;
    private VrrpInstance.State groupState = VrrpInstance.State.INIT;

    public SyncGroup(VrrpSyncGroup config, List<VrrpInstance> members, Notifier notifier) {
        this.config = config;
        this.members = List.copyOf(members);
        this.notifier = notifier;
        for (VrrpInstance m : members) {
            m.joinGroup(this);
        }
    }

    synchronized void memberChanged(VrrpInstance who, VrrpInstance.State st) {
        if (st == VrrpInstance.State.STOP || st == groupState) {
            return;
        }
        groupState = st;
        LOG.log(Level.INFO, "VRRP_Group(" + config.name() + ") Syncing instances to " + st + " state");
        for (VrrpInstance m : members) {
            if (m != who) {
                m.forceState(st);
            }
        }
        notifier.stateChanged(Notifier.Kind.GROUP, config.name(), st.name(), 0,
                switch (st) {
                    case MASTER -> config.notifyMaster();
                    case BACKUP -> config.notifyBackup();
                    case FAULT -> config.notifyFault();
                    default -> config.notifyStop();
                }, config.notifyAny());
    }
}
