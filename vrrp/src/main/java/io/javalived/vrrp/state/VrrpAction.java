package io.javalived.vrrp.state;

import java.lang.System.Logger.Level;
import java.net.InetAddress;

/**
 * What the driver must do, in list order, after an input to {@link VrrpStateMachine}.
 * The machine has already changed state when the list is returned.
 */
public sealed interface VrrpAction {

    /**
     * Send one advertisement now with this priority (0 = "I am leaving"), the instance's own advert_int and VIP
     * list. The driver counts it ({@code VrrpCounters.advertSent(priority)}).
     */
    record SendAdvert(int priority) implements VrrpAction {}

    /** Add the virtual IPs (and virtual routes) to the interfaces. */
    record AddVirtualIps() implements VrrpAction {}

    /** Remove the virtual IPs (and virtual routes). */
    record RemoveVirtualIps() implements VrrpAction {}

    /**
     * Send {@code repeat} gratuitous ARPs (IPv4) / unsolicited neighbour advertisements (IPv6) for every VIP now,
     * spaced by vrrp_garp_interval / vrrp_gna_interval (driver's job). The machine schedules the delayed burst
     * (garp_master_delay), the refresh (garp_master_refresh) and the lower-priority bursts itself.
     */
    record SendGratuitous(int repeat, GratuitousCause cause) implements VrrpAction {}

    /**
     * The state changed. {@code logMessage} is keepalived's line, e.g. {@code VRRP_Instance(VI_1) Entering MASTER
     * STATE}; log it at INFO. Run notify scripts. {@link CounterUpdate#apply} counts become_master (to == MASTER)
     * and release_master (MASTER to BACKUP or FAULT, as keepalived; not on shutdown).
     */
    record StateChanged(VrrpState from, VrrpState to, TransitionReason reason, String logMessage)
            implements VrrpAction {}

    /** A line to log in keepalived's words (already prefixed with the instance). */
    record Log(Level level, String message) implements VrrpAction {}

    /** A MASTER received an advert with lower priority: run notify_master_rx_lower_pri. */
    record MasterReceivedLowerPriority(InetAddress source, int priority) implements VrrpAction {}

    /** The effective priority changed (for notify_priority_changes / metrics). */
    record PriorityChanged(int from, int to) implements VrrpAction {}

    /** Why gratuitous ARPs are sent. */
    enum GratuitousCause {
        /** Just became MASTER (garp_master_repeat). */
        BECOME_MASTER,
        /** garp_master_delay after becoming MASTER (garp_master_repeat). */
        MASTER_DELAY,
        /** Every garp_master_refresh while MASTER (garp_master_refresh_repeat). */
        REFRESH,
        /** MASTER received a lower-priority advert (garp_lower_prio_repeat), now or after garp_lower_prio_delay. */
        LOWER_PRIORITY
    }
}
