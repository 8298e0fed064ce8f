package io.javalived.vrrp.notify;

/**
 * The lines keepalived 2.2.7 writes to its notify FIFOs (vrrp_notify.c notify_fifo, ipwrapper.c notify_fifo_vs /
 * notify_fifo_rs), each ending with a newline. Pure.
 */
public final class FifoLines {
    private FifoLines() {
    }

    /** {@code INSTANCE "VI_1" MASTER 150}: a state (MASTER, BACKUP, FAULT, STOP, DELETED) or event of an instance. */
    public static String instance(String name, String state, int priority) {
        return "INSTANCE \"" + name + "\" " + state + " " + priority + "\n";
    }

    /** {@code GROUP "G1" MASTER 0}: a sync group's state (the priority is always 0). */
    public static String group(String name, String state) {
        return "GROUP \"" + name + "\" " + state + " 0\n";
    }

    /** A priority change (notify_priority_changes): MASTER_PRIORITY when master, BACKUP_PRIORITY otherwise. */
    public static String priority(String name, boolean master, int priority) {
        return instance(name, master ? "MASTER_PRIORITY" : "BACKUP_PRIORITY", priority);
    }

    /** {@code VS [10.0.0.100]:tcp:80 UP}: a virtual server's quorum. */
    public static String virtualServer(String vs, boolean up) {
        return "VS " + vs + " " + (up ? "UP" : "DOWN") + "\n";
    }

    /** {@code RS [10.0.0.2]:tcp:80 [10.0.0.100]:tcp:80 DOWN}: a real server's state. */
    public static String realServer(String rs, String vs, boolean up) {
        return "RS " + rs + " " + vs + " " + (up ? "UP" : "DOWN") + "\n";
    }
}
