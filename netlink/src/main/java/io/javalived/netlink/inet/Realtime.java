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

    /** Threads and processes the real-time thread creates start with normal scheduling (scripts, executors). */
    static final int SCHED_RESET_ON_FORK = 0x40000000;

    /**
     * SCHED_RR with {@code priority} (1..99) for the calling thread, with SCHED_RESET_ON_FORK so nothing it spawns
     * (notify scripts, executor threads) inherits real-time scheduling. Null on success, else why not.
     */
    public static String enterRoundRobin(int priority) {
        byte[] param = SockAddr.intLe(priority);
        if (LibC.INSTANCE.sched_setscheduler(0, LibC.SCHED_RR | SCHED_RESET_ON_FORK, param) != 0) {
            return Errno.describe(LibC.errno());
        }
        return null;
    }
}
