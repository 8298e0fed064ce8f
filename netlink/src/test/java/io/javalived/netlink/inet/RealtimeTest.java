package io.javalived.netlink.inet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** SCHED_RR for a VRRP thread, and nothing it creates inherits it (SCHED_RESET_ON_FORK). Needs root. */
class RealtimeTest {
    private static int policyOfThisThread() throws Exception {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(f[41 - 3]); // field 41 (policy), counted after pid and comm
    }

    @Test
    void roundRobinForTheThreadButNotForThreadsItStarts() throws Exception {
        AtomicReference<Object[]> seen = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                String err = Realtime.enterRoundRobin(1);
                int mine = policyOfThisThread();
                AtomicReference<Integer> child = new AtomicReference<>();
                Thread c = new Thread(() -> {
                    try {
                        child.set(policyOfThisThread());
                    } catch (Exception e) {
                        child.set(-1);
                    }
                });
                c.start();
                c.join();
                seen.set(new Object[] {err, mine, child.get()});
            } catch (Exception e) {
                seen.set(new Object[] {e.toString(), -1, -1});
            }
        });
        t.start();
        t.join();
        assertThat(seen.get()[0]).as("sched_setscheduler error").isNull();
        assertThat(seen.get()[1]).as("SCHED_RR").isEqualTo(2);
        assertThat(seen.get()[2]).as("child thread back to SCHED_OTHER").isEqualTo(0);
    }
}
