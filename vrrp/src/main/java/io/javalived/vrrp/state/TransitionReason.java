package io.javalived.vrrp.state;

/** Why a {@link VrrpAction.StateChanged} happened. */
public enum TransitionReason {
    /** Leaving INIT at start. */
    STARTUP,
    /** BACKUP: no advert from the master within master_down (or skew after a priority-0 advert). */
    MASTER_DOWN,
    /** MASTER: an advert with higher priority, or equal priority from a higher address. */
    HIGHER_PRIORITY_ADVERT,
    /** A tracker (weight-0 script, tracked interface ...) reported a fault. */
    FAULT,
    /** All faults cleared. */
    FAULT_CLEARED,
    /** Moved by the sync group (another member changed state). */
    SYNC_GROUP,
    /** {@link VrrpStateMachine#shutdown}. */
    SHUTDOWN
}
