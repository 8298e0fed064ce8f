package io.javalived.it.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * track_process against a keepalived peer: javalived (node 1, priority 150) tracks a {@code /bin/sleep} with a
 * unique argument (javalived runs in the lab's network namespace; the process runs on the host: processes are not
 * per network namespace). Where javalived may not reach the initial network namespace (the kernel sends process
 * events only there) it scans /proc every second instead, which this test also covers. Killing the process sends javalived's instance
 * to FAULT (weight 0) and keepalived (node 2, priority 100) takes the VIP; a new process gives it back. A second
 * tracker with weight -60 lowers the priority below the peer's instead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrackProcessLabTest {
    private VrrpLab lab;

    @BeforeAll
    void up() throws Exception {
        lab = new VrrpLab(2);
    }

    @AfterAll
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    private Process sleeper(String arg) throws Exception {
        return new ProcessBuilder("/bin/sleep", arg).start();
    }

    private boolean holds(int node) {
        int other = node == 1 ? 2 : 1;
        return VrrpLab.waitFor(Duration.ofSeconds(20), () -> lab.hasAddress(node, VrrpLab.VIP)
                && !lab.hasAddress(other, VrrpLab.VIP));
    }

    @Test
    void killedProcessHandsTheVipToKeepalived() throws Exception {
        long base = 700000 + ProcessHandle.current().pid() % 100000;
        String faultArg = Long.toString(base);
        String weightArg = Long.toString(base + 1);
        Process fault = sleeper(faultArg);
        Process weighted = sleeper(weightArg);
        try {
            Conf c1 = new Conf().version(3, "0.5").priority(150);
            c1.extraTop = "vrrp_track_process tp_fault {\n    process /bin/sleep " + faultArg + "\n}\n"
                    + "vrrp_track_process tp_weight {\n    process /bin/sleep " + weightArg + "\n    weight -60\n}\n";
            c1.extraInstance = "    track_process {\n        tp_fault\n        tp_weight\n    }\n";
            lab.javalived(1, c1.text(), "tp1");
            assertThat(VrrpLab.waitFor(Duration.ofSeconds(40), () -> lab.hasAddress(1, VrrpLab.VIP)))
                    .as("javalived alone becomes master\n" + lab.log("tp1")).isTrue();
            Process k = lab.keepalived(2, new Conf().version(3, "0.5").priority(100).text(), "tp2");
            assertThat(holds(1)).as("javalived is master with both processes\n" + lab.log("tp1")).isTrue();

            fault.destroy();
            fault.waitFor();
            assertThat(holds(2)).as("keepalived takes over when the tracked process ends\n" + lab.log("tp1")).isTrue();
            assertThat(lab.log("tp1")).contains("Quorum lost for tracked process tp_fault",
                    "VRRP_Instance(VI_1) Entering FAULT STATE");

            fault = sleeper(faultArg);
            assertThat(holds(1)).as("javalived takes back with the process running again\n" + lab.log("tp1"))
                    .isTrue();
            assertThat(lab.log("tp1")).contains("Quorum gained for tracked process tp_fault");

            weighted.destroy();
            weighted.waitFor();
            assertThat(holds(2)).as("priority 150 - 60 = 90 < 100: keepalived preempts\n" + lab.log("tp1")).isTrue();
            assertThat(lab.log("tp1")).contains("Changing effective priority from 150 to 90");
            VrrpLab.stop(k, 5);
        } finally {
            fault.destroyForcibly();
            weighted.destroyForcibly();
        }
    }
}
