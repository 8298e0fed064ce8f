package io.javalived.vrrp.state;

/** VRRP instance states; the names are the ones keepalived passes to notify scripts. */
public enum VrrpState {
    INIT, BACKUP, MASTER, FAULT,
    /** After {@link VrrpStateMachine#shutdown}: terminal (keepalived's notify_stop / "STOP"). */
    STOP
}
