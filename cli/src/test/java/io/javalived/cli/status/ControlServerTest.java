package io.javalived.cli.status;

import io.javalived.daemon.ControlServer;
import io.javalived.daemon.ControlClient;
import io.javalived.daemon.Wire;
import io.javalived.daemon.StatusJson;
import io.javalived.daemon.StatusFixtures;
import io.javalived.director.status.DaemonStatus;
import io.javalived.director.status.StatusSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.javalived.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ControlServerTest {
    private static final Duration T = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void servesTheStatusOnA0600SocketAndDeletesItOnClose() throws Exception {
        Path sock = dir.resolve("run/sub/javalived.sock"); // parents created
        DaemonStatus st = StatusFixtures.status();
        try (ControlServer s = ControlServer.open(StatusFixtures.source(st, StatusFixtures.table()), sock)) {
            assertThat(s.path()).isEqualTo(sock);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock))).isEqualTo("rw-------");
            assertThat(StatusJson.read(ControlClient.request(sock, "status", T))).isEqualTo(st);
            String ipvs = ControlClient.request(sock, "ipvs", T);
            assertThat(ipvs).isEqualTo("ipvs dry-run\nIP Virtual Server version 1.2.1 (size=4096)\n"
                    + "Prot LocalAddress:Port Scheduler Flags\n"
                    + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
                    + "TCP  10.0.0.100:80 rr\n"
                    + "  -> 10.0.0.2:80                  Masq    1      0          0         \n");
            assertThatThrownBy(() -> ControlClient.request(sock, "reboot", T))
                    .isInstanceOf(ControlClient.DaemonErrorException.class)
                    .hasMessage("unknown request 'reboot' (status, ipvs, drain, enable, disable, weight)");
            try (var l = Files.list(sock.getParent())) {
                assertThat(l).containsExactly(sock); // the private bind directory is gone
            }
        }
        assertThat(sock).doesNotExist();
    }

    @Test
    void ipvsOffWithoutATable() throws Exception {
        Path sock = dir.resolve("a.sock");
        DaemonStatus st = StatusFixtures.status();
        DaemonStatus off = new DaemonStatus(st.version(), st.pid(), st.startedAt(), st.configFile(),
                st.configLoadedAt(), "off", st.instances(), java.util.List.of());
        try (ControlServer s = ControlServer.open(StatusFixtures.source(off, null), sock)) {
            assertThat(ControlClient.request(sock, "ipvs", T)).isEqualTo("ipvs off\n");
        }
    }

    @Test
    void aStaleSocketIsReplaced() throws Exception {
        Path sock = dir.resolve("stale.sock");
        ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        dead.bind(UnixDomainSocketAddress.of(sock));
        dead.close(); // the file stays, nobody listens: a daemon killed with -9
        assertThat(sock).exists();
        assertThatThrownBy(() -> ControlClient.request(sock, "status", T))
                .isInstanceOf(ControlClient.NoDaemonException.class).hasMessageContaining("connection refused");
        try (ControlServer s = ControlServer.open(StatusFixtures.source(StatusFixtures.status(), null), sock)) {
            assertThat(StatusJson.read(ControlClient.request(sock, "status", T)).pid()).isEqualTo(4242);
        }
    }

    @Test
    void aLiveDaemonOnThePathIsNotReplaced() throws Exception {
        Path sock = dir.resolve("live.sock");
        try (ControlServer a = ControlServer.open(StatusFixtures.source(StatusFixtures.status(), null), sock)) {
            assertThatThrownBy(() -> ControlServer.start(StatusFixtures.source(StatusFixtures.status(), null), sock))
                    .isInstanceOf(IOException.class)
                    .hasMessage("another javalived is running (pid 4242) on " + sock
                            + " - stop it or give --control-socket");
            assertThat(ControlServer.probe(sock)).hasValue(4242);
            assertThat(StatusJson.read(ControlClient.request(sock, "status", T)).pid()).isEqualTo(4242);
        }
        assertThat(ControlServer.probe(sock)).isEmpty();
    }

    @Test
    void aFileThatIsNotASocketIsLeftAlone() throws Exception {
        Path f = dir.resolve("x.sock");
        Files.writeString(f, "data");
        assertThatThrownBy(() -> ControlServer.open(StatusFixtures.source(StatusFixtures.status(), null), f))
                .hasMessage(f + " exists and is not a socket - remove it or give --control-socket");
        assertThat(Files.readString(f)).isEqualTo("data");
    }

    @Test
    void requestsAreBoundedAndASilentClientDoesNotBlockOthers() throws Exception {
        Path sock = dir.resolve("b.sock");
        try (ControlServer s = ControlServer.open(StatusFixtures.source(StatusFixtures.status(), null), sock);
             SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(sock));
             SocketChannel big = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
            big.write(java.nio.ByteBuffer.wrap("x".repeat(4000).getBytes(StandardCharsets.US_ASCII)));
            assertThat(Wire.readAll(big, 1000, System.nanoTime() + TimeUnit.SECONDS.toNanos(5))).isEmpty();
            long t0 = System.nanoTime();
            assertThat(ControlClient.request(sock, "status", T)).contains("\"pid\": 4242");
            assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(2)); // not behind the silent one
            // the silent client is dropped after the request time limit (2 s)
            assertThat(Wire.readAll(silent, 1000, System.nanoTime() + TimeUnit.SECONDS.toNanos(5))).isEmpty();
        }
    }

    @Test
    void nobodyButRootCanConnect() throws Exception {
        assumeThat(System.getProperty("user.name")).isEqualTo("root");
        Path open = dir.resolve("open");
        Files.createDirectory(open);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path sock = open.resolve("p.sock");
        try (ControlServer s = ControlServer.open(StatusFixtures.source(StatusFixtures.status(), null), sock)) {
            Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3",
                    "-c", "import socket,sys\ns=socket.socket(socket.AF_UNIX)\ntry:\n s.connect(sys.argv[1])\n"
                    + " print('connected')\nexcept PermissionError:\n print('denied')", sock.toString())
                    .redirectErrorStream(true).start();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim())
                    .isEqualTo("denied");
        }
    }

    // ------------------------------------------------------------------------------------- javalived status

    private record Run(int code, String out, String err) {}

    private static Run status(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        String[] a = new String[args.length + 1];
        a[0] = "status";
        System.arraycopy(args, 0, a, 1, args.length);
        int code = cl.execute(a);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void statusWithoutADaemonExits3WithOneLine() throws Exception {
        Path sock = dir.resolve("none.sock");
        Run r = status("-S", sock.toString());
        assertThat(r.code()).isEqualTo(StatusCommand.EXIT_NO_DAEMON).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("javalived status: no javalived daemon answers on " + sock
                + " (no such socket) - is it running? (systemctl status javalived) - or give --control-socket / "
                + "-p of the running daemon" + System.lineSeparator());

        // -p gives the socket next to the pid file
        Run p = status("--json", "-p", dir.resolve("x.pid").toString());
        assertThat(p.code()).isEqualTo(3);
        assertThat(p.err()).contains("no javalived daemon answers on " + dir.resolve("x.sock"));

        ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        dead.bind(UnixDomainSocketAddress.of(sock));
        dead.close();
        Run stale = status("-S", sock.toString());
        assertThat(stale.code()).isEqualTo(3);
        assertThat(stale.err()).contains("(connection refused (a socket file left by a stopped daemon))");
    }

    @Test
    void defaultSocketIsThePidFilesPathWithSock() {
        assertThat(StatusCommand.socketFor(Path.of("/run/javalived.pid"))).isEqualTo(Path.of("/run/javalived.sock"));
        assertThat(StatusCommand.socketFor(Path.of("/tmp/a/node"))).isEqualTo(Path.of("/tmp/a/node.sock"));
        StatusCommand c = new StatusCommand();
        new CommandLine(c).parseArgs();
        assertThat(c.socket()).isEqualTo(Path.of("/run/javalived.sock"));
    }

    @Test
    void statusPrintsTextJsonAndTheDryRunTable() throws Exception {
        Path pid = dir.resolve("d.pid");
        Path sock = dir.resolve("d.sock");
        DaemonStatus st = StatusFixtures.status();
        try (ControlServer s = ControlServer.open(StatusFixtures.source(st, StatusFixtures.table()), sock)) {
            Run text = status("-p", pid.toString());
            assertThat(text.code()).as(text.err()).isZero();
            assertThat(text.out()).startsWith("javalived 0.1.0-SNAPSHOT  pid 4242").contains("VI_1         MASTER  prio 160");

            Run json = status("--json", "-S", sock.toString());
            assertThat(json.code()).isZero();
            assertThat(StatusJson.read(json.out())).isEqualTo(st);

            Run both = status("--ipvs", "-S", sock.toString());
            assertThat(both.out()).contains("\nIPVS table (dry run - what javalived would program; the kernel is not "
                    + "touched):\nIP Virtual Server version 1.2.1 (size=4096)\n").contains("TCP  10.0.0.100:80 rr\n");

            Run jsonIpvs = status("--json", "--ipvs", "-S", sock.toString());
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> m = (java.util.Map<String, Object>) StatusJson.parse(jsonIpvs.out());
            assertThat(m.get("ipvsTable").toString()).contains("mode=dry-run").contains("TCP  10.0.0.100:80 rr");
            assertThat(StatusJson.read(jsonIpvs.out())).isEqualTo(st);
        }
    }

    @Test
    void aDaemonErrorExits1() throws Exception {
        Path sock = dir.resolve("e.sock");
        StatusSource broken = new StatusSource() {
            @Override
            public DaemonStatus status() {
                throw new IllegalStateException("stopping");
            }

            @Override
            public io.javalived.ipvs.IpvsTable ipvsTable() {
                return null;
            }
        };
        try (ControlServer s = ControlServer.open(broken, sock)) {
            Run r = status("-S", sock.toString());
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).isEqualTo("javalived status: the daemon on " + sock + " answered: status failed: "
                    + "stopping" + System.lineSeparator());
        }
    }
}
