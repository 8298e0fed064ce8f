package io.javalived.vrrp.state;

/** Lets a sync group hold a member in BACKUP until every member wants MASTER (keepalived's rule). */
interface SyncGate {
    /** True when {@code member} may become MASTER now. */
    boolean canGoMaster(VrrpStateMachine member);
}
