package io.javalived.netlink.inet;

import io.javalived.netlink.ffi.Errno;
import io.javalived.netlink.ffi.LibC;

/**
 * Puts the calling thread in the SCHED_RR real-time class, so a VRRP thread keeps its advert schedule on a busy host
 * (the threads using it sleep almost all the time). Best effort: returns a reason when the kernel refuses.
 */
public final class Realtime {
    private Realtime() {
    }

    /** SCHED_RR with {@code priority} (1..99) for the calling thread; null on success, else why not. */
    public static String enterRoundRobin(int priority) {
        byte[] param = SockAddr.intLe(priority);
        if (LibC.INSTANCE.sched_setscheduler(0, LibC.SCHED_RR, param) != 0) {
            return Errno.describe(LibC.errno());
        }
        return null;
    }
}
