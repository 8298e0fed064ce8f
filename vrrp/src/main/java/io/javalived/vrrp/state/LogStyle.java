package io.javalived.vrrp.state;

/**
 * How instance log lines are prefixed. keepalived 2.2.7 writes {@code (VI_1) Entering MASTER STATE}; keepalived
 * 1.x wrote {@code VRRP_Instance(VI_1) Entering MASTER STATE}, the form the javalived project uses by default. The
 * text after the prefix is keepalived 2.2.7's in both styles.
 */
public enum LogStyle {
    /** {@code VRRP_Instance(VI_1) ...} (javalived default). */
    VRRP_INSTANCE,
    /** {@code (VI_1) ...} exactly as keepalived 2.2.7. */
    KEEPALIVED_2;

    public String prefix(String instanceName) {
        return this == VRRP_INSTANCE ? "VRRP_Instance(" + instanceName + ")" : "(" + instanceName + ")";
    }
}
