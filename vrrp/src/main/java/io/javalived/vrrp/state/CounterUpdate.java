package io.javalived.vrrp.state;

import io.javalived.vrrp.packet.VrrpCounters;
import java.util.List;

/** Applies the counting side of a list of actions to an instance's {@link VrrpCounters}. */
public final class CounterUpdate {
    private CounterUpdate() {}

    /**
     * advert_sent / pri_zero_sent per {@link VrrpAction.SendAdvert} (call only if the send succeeded, or call
     * {@link VrrpCounters#advertSent} yourself), become_master, release_master per {@link VrrpAction.StateChanged}.
     */
    public static void apply(List<VrrpAction> actions, VrrpCounters counters) {
        for (VrrpAction a : actions) {
            if (a instanceof VrrpAction.SendAdvert s) {
                counters.advertSent(s.priority());
            } else if (a instanceof VrrpAction.StateChanged c) {
                countTransition(c, counters);
            }
        }
    }

    /** become_master / release_master for one transition. */
    public static void countTransition(VrrpAction.StateChanged c, VrrpCounters counters) {
        if (c.to() == VrrpState.MASTER) {
            counters.becomeMaster();
        } else if (c.from() == VrrpState.MASTER && (c.to() == VrrpState.BACKUP || c.to() == VrrpState.FAULT)) {
            counters.releaseMaster();
        }
    }
}
