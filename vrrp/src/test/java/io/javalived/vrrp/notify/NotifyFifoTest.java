package io.javalived.vrrp.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.config.model.GlobalDefs;
import java.io.FileInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FIFO lines (keepalived's vrrp_notify.c and ipwrapper.c formats) and their routing: notify_fifo gets every line,
 * vrrp_notify_fifo the INSTANCE/GROUP lines, lvs_notify_fifo the VS/RS lines; FIFOs made here are removed at close,
 * one that existed before is left.
 */
class NotifyFifoTest {
    @TempDir
    Path dir;

    @Test
    void linesAsKeepalivedWritesThem() {
        assertThat(FifoLines.instance("VI_1", "MASTER", 150)).isEqualTo("INSTANCE \"VI_1\" MASTER 150\n");
        assertThat(FifoLines.group("G1", "BACKUP")).isEqualTo("GROUP \"G1\" BACKUP 0\n");
        assertThat(FifoLines.priority("VI_1", true, 130)).isEqualTo("INSTANCE \"VI_1\" MASTER_PRIORITY 130\n");
        assertThat(FifoLines.priority("VI_1", false, 90)).isEqualTo("INSTANCE \"VI_1\" BACKUP_PRIORITY 90\n");
        assertThat(FifoLines.virtualServer("[10.0.0.100]:tcp:80", true)).isEqualTo("VS [10.0.0.100]:tcp:80 UP\n");
        assertThat(FifoLines.realServer("[10.0.0.2]:tcp:80", "[10.0.0.100]:tcp:80", false))
                .isEqualTo("RS [10.0.0.2]:tcp:80 [10.0.0.100]:tcp:80 DOWN\n");
    }

    private static Optional<GlobalDefs.NotifyFifo> fifo(Path p) {
        return Optional.of(new GlobalDefs.NotifyFifo(p.toString(), Optional.empty(), Optional.empty(),
                Optional.empty()));
    }

    private static String drain(Path p) throws Exception {
        // the daemon's descriptor is a writer: opening for reading does not wait; read what is buffered
        try (FileInputStream in = new FileInputStream(p.toFile())) {
            byte[] b = new byte[4096];
            int n = in.available() > 0 ? in.read(b) : 0;
            return new String(b, 0, Math.max(0, n), StandardCharsets.UTF_8);
        }
    }

    @Test
    void eachFifoGetsItsLinesInOrder() throws Exception {
        Path g = dir.resolve("all");
        Path v = dir.resolve("vrrp");
        Path l = dir.resolve("lvs");
        NotifyFifos f = NotifyFifos.open(new GlobalDefs.NotifyFifos(fifo(g), fifo(v), fifo(l)),
                ScriptLauncher.sessions());
        try {
            assertThat(Files.exists(g) && !Files.isRegularFile(g)).isTrue();
            f.vrrp(FifoLines.instance("VI_1", "BACKUP", 100));
            f.lvs(FifoLines.virtualServer("[10.0.0.100]:tcp:80", true));
            f.vrrp(FifoLines.instance("VI_1", "MASTER", 100));
            assertThat(drain(g)).isEqualTo("INSTANCE \"VI_1\" BACKUP 100\nVS [10.0.0.100]:tcp:80 UP\n"
                    + "INSTANCE \"VI_1\" MASTER 100\n");
            assertThat(drain(v)).isEqualTo("INSTANCE \"VI_1\" BACKUP 100\nINSTANCE \"VI_1\" MASTER 100\n");
            assertThat(drain(l)).isEqualTo("VS [10.0.0.100]:tcp:80 UP\n");
        } finally {
            f.close();
        }
        assertThat(Files.exists(g)).as("created FIFOs are removed").isFalse();
        assertThat(Files.exists(v)).isFalse();
    }

    @Test
    void aFullFifoLosesLinesAndNeverBlocks() throws Exception {
        Path g = dir.resolve("full");
        NotifyFifos f = NotifyFifos.open(new GlobalDefs.NotifyFifos(fifo(g), Optional.empty(), Optional.empty()),
                ScriptLauncher.sessions());
        try {
            String line = FifoLines.instance("X".repeat(200), "MASTER", 100);
            for (int i = 0; i < 2000; i++) { // 420 kB into a 64 kB pipe with no reader
                f.vrrp(line);
            }
        } finally {
            f.close();
        }
        assertThat(Files.exists(g)).isFalse();
    }

    @Test
    void anExistingFifoIsKept() throws Exception {
        Path g = dir.resolve("kept");
        assertThat(new ProcessBuilder("mkfifo", g.toString()).start().waitFor()).isZero();
        NotifyFifos f = NotifyFifos.open(new GlobalDefs.NotifyFifos(fifo(g), Optional.empty(), Optional.empty()),
                ScriptLauncher.sessions());
        f.vrrp(FifoLines.group("G", "FAULT"));
        assertThat(drain(g)).isEqualTo("GROUP \"G\" FAULT 0\n");
        f.close();
        assertThat(Files.exists(g)).as("not created by the daemon: left").isTrue();
    }
}
