package io.javalived.vrrp.track;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.config.KeepalivedConfigReader;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.config.model.Origin;
import io.javalived.config.model.TrackProcess;
import io.javalived.netlink.proc.ProcessConnector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * track_process as keepalived 2.2.7 (vrrp_parser.c, core/track_process.c): the block's keywords, the name and
 * parameter matching, quorum / quorum_max, fork_delay / terminate_delay, and the kernel's process connector seeing a
 * real process start and end.
 */
class TrackProcessTest {
    private static TrackProcess tp(String process, List<String> params, TrackProcess.ParamMatch m, boolean full,
                                   int quorum, int max, Duration fork, Duration term) {
        return new TrackProcess("t", process, params, m, 0, false, quorum, max, fork, term, full,
                new Origin(Path.of("k.conf"), 1));
    }

    private static byte[] cmd(String... argv) {
        return (String.join("\0", argv) + "\0").getBytes(StandardCharsets.UTF_8);
    }

    private static KeepalivedConfig read(String text) throws Exception {
        return KeepalivedConfigReader.read(text, Path.of("k.conf")).config();
    }

    @Test
    void blockKeywordsAsKeepalivedReadsThem() throws Exception {
        KeepalivedConfig c = read("vrrp_track_process sl {\n    process /bin/sleep 1000 x\n    weight -20 reverse\n"
                + "    quorum 2\n    quorum_max 3\n    delay 1.5\n    terminate_delay 2\n}\n"
                + "vrrp_track_process nm {\n    process sshd\n    param_match initial\n}\n"
                + "vrrp_track_process fc {\n    process nginx\n    full_command\n    quorum_max 0\n}\n"
                + "vrrp_sync_group G {\n    group {\n        VI_1\n    }\n    track_process {\n        fc\n    }\n}\n"
                + "vrrp_instance VI_1 {\n    interface lo\n    virtual_router_id 1\n    priority 100\n"
                + "    track_process {\n        sl weight -30\n        nm\n    }\n"
                + "    virtual_ipaddress {\n        10.9.9.9\n    }\n}\n");
        TrackProcess sl = c.trackProcesses().get("sl");
        assertThat(sl.process()).isEqualTo("/bin/sleep");
        assertThat(sl.params()).containsExactly("1000", "x");
        assertThat(sl.paramMatch()).isEqualTo(TrackProcess.ParamMatch.EXACT);
        assertThat(sl.fullCommand()).isTrue();
        assertThat(sl.weight()).isEqualTo(-20);
        assertThat(sl.reverse()).isTrue();
        assertThat(sl.quorum()).isEqualTo(2);
        assertThat(sl.quorumMax()).isEqualTo(3);
        assertThat(sl.forkDelay()).isEqualTo(Duration.ofMillis(1500));
        assertThat(sl.terminateDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.trackProcesses().get("nm").paramMatch()).isEqualTo(TrackProcess.ParamMatch.INITIAL);
        assertThat(c.trackProcesses().get("nm").fullCommand()).isTrue();
        TrackProcess fc = c.trackProcesses().get("fc");
        assertThat(fc.fullCommand()).isTrue();
        assertThat(fc.quorum()).isZero();
        assertThat(fc.quorumMax()).isZero();
        assertThat(c.vrrpInstances().get(0).trackProcesses()).extracting(t -> t.name() + ":" + t.weight())
                .containsExactly("sl:-30", "nm:0");
        assertThat(c.syncGroups().get(0).trackProcesses()).extracting(t -> t.name()).containsExactly("fc");
    }

    @Test
    void undefinedTrackProcessIsAnError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KeepalivedConfigReader.read("vrrp_instance VI_1 {\n    interface lo\n    virtual_router_id 1\n"
                + "    priority 100\n    track_process {\n        nope\n    }\n    virtual_ipaddress {\n"
                + "        10.9.9.9\n    }\n}\n", Path.of("k.conf"))).hasMessageContaining("track_process nope is not defined");
    }

    @Test
    void nameAndParameterMatching() {
        var none = TrackProcess.ParamMatch.NONE;
        var exact = TrackProcess.ParamMatch.EXACT;
        var partial = TrackProcess.ParamMatch.PARTIAL;
        var initial = TrackProcess.ParamMatch.INITIAL;
        Duration z = Duration.ZERO;
        // comm (15 characters at most) without full_command
        assertThat(ProcessTable.matches(tp("sleep", List.of(), none, false, 1, 9, z, z), "sleep", cmd("/bin/sleep", "5")))
                .isTrue();
        assertThat(ProcessTable.matches(tp("/bin/sleep", List.of(), none, false, 1, 9, z, z), "sleep",
                cmd("/bin/sleep"))).isFalse();
        // argv[0] with full_command
        assertThat(ProcessTable.matches(tp("/bin/sleep", List.of(), none, true, 1, 9, z, z), "sleep",
                cmd("/bin/sleep", "5"))).isTrue();
        // exact parameters
        TrackProcess ex = tp("/bin/sleep", List.of("1000", "x"), exact, true, 1, 9, z, z);
        assertThat(ProcessTable.matches(ex, "sleep", cmd("/bin/sleep", "1000", "x"))).isTrue();
        assertThat(ProcessTable.matches(ex, "sleep", cmd("/bin/sleep", "1000", "x", "y"))).isFalse();
        assertThat(ProcessTable.matches(ex, "sleep", cmd("/bin/sleep", "1000"))).isFalse();
        assertThat(ProcessTable.matches(tp("a", List.of(), exact, true, 1, 9, z, z), "a", cmd("a"))).isTrue();
        assertThat(ProcessTable.matches(tp("a", List.of(), exact, true, 1, 9, z, z), "a", cmd("a", "b"))).isFalse();
        // partial: the listed parameters, then anything
        TrackProcess pa = tp("/bin/sleep", List.of("1000"), partial, true, 1, 9, z, z);
        assertThat(ProcessTable.matches(pa, "sleep", cmd("/bin/sleep", "1000", "x"))).isTrue();
        assertThat(ProcessTable.matches(pa, "sleep", cmd("/bin/sleep", "10000"))).isFalse();
        // initial: the last listed parameter may be the start of a longer one
        TrackProcess in = tp("/bin/sleep", List.of("a", "10"), initial, true, 1, 9, z, z);
        assertThat(ProcessTable.matches(in, "sleep", cmd("/bin/sleep", "a", "1000", "x"))).isTrue();
        assertThat(ProcessTable.matches(in, "sleep", cmd("/bin/sleep", "b", "1000"))).isFalse();
    }

    private static ProcessTable.Proc proc(int pid, String... argv) {
        return new ProcessTable.Proc(pid, "sleep", cmd(argv), false);
    }

    @Test
    void quorumAndQuorumMax() {
        Duration z = Duration.ZERO;
        ProcessTable t = new ProcessTable(List.of(tp("sleep", List.of(), TrackProcess.ParamMatch.NONE, false, 2, 3, z,
                z)));
        t.scan(List.of(proc(10, "sleep"), new ProcessTable.Proc(11, "sleep", cmd("sleep"), true)));
        assertThat(t.count("t")).isEqualTo(1); // the zombie is not counted
        assertThat(t.up("t")).isFalse();
        assertThat(t.exec(proc(12, "sleep")).changes()).containsExactly(new ProcessTable.Change("t", true));
        assertThat(t.fork(12, 13).changes()).isEmpty(); // 3: still within quorum_max
        assertThat(t.fork(12, 14).changes()).containsExactly(new ProcessTable.Change("t", false)); // 4 > 3
        assertThat(t.exit(14).changes()).containsExactly(new ProcessTable.Change("t", true));
        assertThat(t.exit(99).changes()).isEmpty(); // not tracked
        t.exit(13);
        assertThat(t.exit(12).changes()).containsExactly(new ProcessTable.Change("t", false)); // 1 < 2
        // an exec into another program removes it
        t.exec(proc(20, "sleep"));
        assertThat(t.count("t")).isEqualTo(2);
        assertThat(t.exec(new ProcessTable.Proc(20, "cat", cmd("cat"), false)).changes())
                .containsExactly(new ProcessTable.Change("t", false));
        assertThat(t.comm(10, "renamed").changes()).isEmpty(); // 10 renamed: no longer counted
        assertThat(t.count("t")).isZero();
    }

    @Test
    void forkAndTerminateDelays() {
        ProcessTable t = new ProcessTable(List.of(tp("sleep", List.of(), TrackProcess.ParamMatch.NONE, false, 2,
                Integer.MAX_VALUE, Duration.ofSeconds(1), Duration.ofSeconds(3))));
        t.scan(List.of(proc(10, "sleep")));
        ProcessTable.Outcome o = t.fork(10, 11);
        assertThat(o.changes()).isEmpty();
        assertThat(o.start()).containsExactly(new ProcessTable.Timer("t", Duration.ofSeconds(1), true));
        assertThat(t.timerFired("t").changes()).containsExactly(new ProcessTable.Change("t", true));
        o = t.exit(11);
        assertThat(o.changes()).isEmpty();
        assertThat(o.start()).containsExactly(new ProcessTable.Timer("t", Duration.ofSeconds(3), false));
        // back before the terminate delay ran out: the timer is cancelled, quorum was never lost
        o = t.fork(10, 12);
        assertThat(o.cancel()).containsExactly("t");
        assertThat(o.changes()).isEmpty();
        assertThat(t.up("t")).isTrue();
        // gone again, and the delay runs out
        t.exit(12);
        assertThat(t.timerFired("t").changes()).containsExactly(new ProcessTable.Change("t", false));
    }

    @Test
    void theKernelsProcessConnectorSeesAProcessStartAndEnd() throws Exception {
        try (ProcessConnector c = ProcessConnector.open()) {
            Process p = new ProcessBuilder("/bin/sleep", "0.2").start();
            long pid = p.pid();
            List<ProcessConnector.Event> seen = new ArrayList<>();
            long end = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < end && seen.stream().noneMatch(
                    e -> e instanceof ProcessConnector.Event.Exit x && x.pid() == pid)) {
                seen.addAll(c.receive(200));
            }
            assertThat(seen).contains(new ProcessConnector.Event.Exec((int) pid),
                    new ProcessConnector.Event.Exit((int) pid));
        }
    }

    @Test
    void procScanFindsARunningProcess() throws Exception {
        String unique = Long.toString(900000 + ProcessHandle.current().pid() % 100000);
        Process p = new ProcessBuilder("/bin/sleep", unique).start();
        try {
            ProcessTracker pt = new ProcessTracker(List.of(new TrackProcess("t", "/bin/sleep", List.of(unique),
                    TrackProcess.ParamMatch.EXACT, 0, false, 1, Integer.MAX_VALUE, Duration.ZERO, Duration.ZERO, true,
                    new Origin(Path.of("k.conf"), 1))), java.util.concurrent.Executors.newSingleThreadScheduledExecutor());
            Map<Integer, ProcessTable.Proc> procs = pt.readProcs();
            assertThat(procs.get((int) p.pid()).comm()).isEqualTo("sleep");
            pt.start();
            assertThat(pt.up("t")).isTrue();
            List<Boolean> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
            pt.addListener((n, up) -> changes.add(up));
            p.destroy();
            p.waitFor();
            long end = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < end && changes.isEmpty()) {
                Thread.sleep(20);
            }
            assertThat(changes).containsExactly(false);
            assertThat(pt.up("t")).isFalse();
            pt.close();
        } finally {
            p.destroyForcibly();
        }
    }
}
