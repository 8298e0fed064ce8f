package io.javalived.it.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * smtp_alert, javalived against Debian's keepalived 2.2.7: one instance alone on its link (node 1) becomes MASTER;
 * an SMTP sink in node 2's namespace records the mails. The envelope (HELO, MAIL FROM, RCPT TO), the headers (From,
 * Subject, X-Mailer, To; the Date differs) and the body lines must be keepalived's. Then the SMTP server hangs
 * (accepts, never answers): javalived still becomes MASTER at once. The checker and virtual server mails
 * ({@link #checkerAndVirtualServerMails}) are compared with keepalived's formats.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmtpAlertLabTest {
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

    private String conf(int port) {
        Conf c = new Conf().version(3, "0.5").priority(150);
        c.routerId = "smtplab";
        c.extraGlobal = "    notification_email {\n        ops@example.org\n        oncall@example.org\n    }\n"
                + "    notification_email_from lb@example.org\n    smtp_server 10.77.0.2 " + port + "\n"
                + "    smtp_helo_name lb1.example.org\n    smtp_connect_timeout 3\n    smtp_alert\n";
        return c.text();
    }

    private Process sink(int port, Path file) throws Exception {
        return new ProcessBuilder("ip", "netns", "exec", lab.ns(2),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx32m", "-cp",
                System.getProperty("java.class.path"), SmtpSink.class.getName(), "10.77.0.2", Integer.toString(port),
                file.toString()).redirectErrorStream(true).redirectOutput(lab.dir.resolve("sink.log").toFile())
                .start();
    }

    private static List<String> mails(Path f) {
        try {
            if (!Files.exists(f)) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (String m : Files.readString(f).split("----\n")) {
                if (!m.isBlank()) {
                    // the Date header differs between the runs
                    out.add(String.join("\n", Arrays.stream(m.split("\n")).filter(l -> !l.startsWith("Date: "))
                            .toList()));
                }
            }
            return out;
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    private List<String> run(String impl, int port) throws Exception {
        Path f = lab.dir.resolve(impl + ".mails");
        Process s = sink(port, f);
        try {
            assertThat(VrrpLab.waitFor(Duration.ofSeconds(30), () -> Files.exists(f))).as("sink up").isTrue();
            Process p = impl.equals("keepalived") ? lab.keepalived(1, conf(port), impl)
                    : lab.javalived(1, conf(port), impl);
            assertThat(VrrpLab.waitFor(Duration.ofSeconds(40), () -> mails(f).stream()
                    .anyMatch(m -> m.contains("Entering MASTER state")))).as(impl + "\n" + lab.log(impl)).isTrue();
            Thread.sleep(500);
            List<String> got = mails(f);
            VrrpLab.stop(p, 10);
            return got;
        } finally {
            s.destroy();
            VrrpLab.waitExit(s, 5);
        }
    }

    @Test
    void javalivedSendsKeepalivedsMails() throws Exception {
        int base = 2500 + (int) (ProcessHandle.current().pid() % 500);
        List<String> k = run("keepalived", base);
        List<String> j = run("javalived", base + 1);
        assertThat(k).as("keepalived's mails").anyMatch(m -> m.contains(
                "Subject: [smtplab] VRRP Instance VI_1 - Entering MASTER state")
                && m.contains("=> VRRP Instance is now owning VRRP VIPs <=")
                && m.contains("To: ops@example.org, oncall@example.org") && m.contains("HELO lb1.example.org")
                && m.contains("MAIL FROM:<lb@example.org>"));
        assertThat(j).as("javalived's mails = keepalived's\n" + lab.log("javalived")).isEqualTo(k);
    }

    private Process listener(int port) throws Exception {
        return new ProcessBuilder("ip", "netns", "exec", lab.ns(1), "python3", "-c",
                "import socket\ns=socket.socket()\ns.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\n"
                        + "s.bind(('10.77.0.1'," + port + "))\ns.listen(16)\n"
                        + "while True:\n    c,_=s.accept()\n    c.close()\n").start();
    }

    /** keepalived's mail as the sink records it (core/smtp.c: envelope, headers without the Date, body). */
    private static String mail(String subject, String body) {
        return "HELO lb1.example.org\nMAIL FROM:<lb@example.org>\nRCPT TO:<ops@example.org>\n"
                + "RCPT TO:<oncall@example.org>\nFrom: lb@example.org\nSubject: [smtplab] " + subject
                + "\nX-Mailer: Keepalived\nTo: ops@example.org, oncall@example.org\n\n" + body;
    }

    /**
     * Checker and virtual server mails (no keepalived to compare with: its checkers need IPVS, absent here; the
     * expected mails follow keepalived 2.2.7's formats, core/smtp.c, check_tcp.c and ipwrapper.c): javalived with
     * --ipvs-dry-run, one TCP_CHECKed real server (smtp_alert on by default) of a virtual server with smtp_alert on;
     * the real server's listener is stopped, then started again.
     */
    @Test
    void checkerAndVirtualServerMails() throws Exception {
        int port = 19000 + (int) (ProcessHandle.current().pid() % 1000);
        int smtpPort = 3700 + (int) (ProcessHandle.current().pid() % 500);
        Path f = lab.dir.resolve("lvs.mails");
        String conf = "global_defs {\n    router_id smtplab\n    notification_email {\n        ops@example.org\n"
                + "        oncall@example.org\n    }\n    notification_email_from lb@example.org\n"
                + "    smtp_server 10.77.0.2 " + smtpPort + "\n    smtp_helo_name lb1.example.org\n"
                + "    smtp_connect_timeout 3\n}\n"
                + "virtual_server 10.77.0.200 80 {\n    delay_loop 1\n    lb_algo rr\n    lb_kind NAT\n"
                + "    protocol TCP\n    smtp_alert on\n    real_server 10.77.0.1 " + port + " {\n        weight 1\n"
                + "        TCP_CHECK {\n            connect_timeout 1\n            retry 0\n        }\n    }\n}\n";
        Path cf = lab.dir.resolve("lvs.conf");
        Files.writeString(cf, conf);
        Process sink = sink(smtpPort, f);
        Process srv = listener(port);
        Process jv = null;
        try {
            assertThat(VrrpLab.waitFor(Duration.ofSeconds(30), () -> Files.exists(f))).as("sink up").isTrue();
            jv = new ProcessBuilder("ip", "netns", "exec", lab.ns(1),
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC", "-Xmx96m",
                    "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "io.javalived.cli.Main",
                    "run", "--ipvs-dry-run", "--no-metrics", "-p", lab.dir.resolve("lvs.pid").toString(), "-f",
                    cf.toString()).redirectErrorStream(true).redirectOutput(lab.dir.resolve("lvs.log").toFile())
                    .start();
            String vs = "[10.77.0.200]:tcp:80";
            String rs = "[10.77.0.1]:tcp:" + port;
            assertThat(VrrpLab.waitFor(Duration.ofSeconds(30), () -> mails(f).size() >= 1)).as(lab.log("lvs"))
                    .isTrue();
            Thread.sleep(1500); // a few passing checks
            srv.destroy();
            VrrpLab.waitExit(srv, 5);
            assertThat(VrrpLab.waitFor(Duration.ofSeconds(15), () -> mails(f).size() >= 3))
                    .as(lab.log("lvs") + mails(f)).isTrue();
            srv = listener(port);
            assertThat(VrrpLab.waitFor(Duration.ofSeconds(15), () -> mails(f).size() >= 5))
                    .as(lab.log("lvs") + mails(f)).isTrue();
            VrrpLab.stop(jv, 10);
            assertThat(mails(f)).as(lab.log("lvs")).containsExactly(
                    mail("Virtualserver " + vs + " - UP", "=> Starting with quorum up 1+0=1 <= 1 <="),
                    mail("Virtualserver " + vs + " - DOWN", "=> Lost quorum 1+0=1 <= 0 <="),
                    mail("Realserver " + rs + " of virtual server " + vs + " - DOWN",
                            "=> TCP CHECK failed on service <="),
                    mail("Virtualserver " + vs + " - UP", "=> Gained quorum 1+0=1 <= 1 <="),
                    mail("Realserver " + rs + " of virtual server " + vs + " - UP",
                            "=> TCP CHECK succeed on service <="));
        } finally {
            if (jv != null) {
                VrrpLab.stop(jv, 5);
            }
            srv.destroy();
            VrrpLab.waitExit(srv, 3);
            sink.destroy();
            VrrpLab.waitExit(sink, 5);
        }
    }

    @Test
    void aHangingSmtpServerDelaysNothing() throws Exception {
        int port = 3100 + (int) (ProcessHandle.current().pid() % 500);
        Process hang = hangingServer(port);
        try {
            Thread.sleep(500);
            Process p = lab.javalived(1, conf(port), "hang");
            assertThat(VrrpLab.waitFor(Duration.ofSeconds(40), () -> lab.log("hang").contains("Entering MASTER STATE")))
                    .as(lab.log("hang")).isTrue();
            String log = lab.log("hang");
            // BACKUP at start, then MASTER master_down later (1.5 s + skew): the BACKUP mail is stuck meanwhile
            assertThat(log).contains("Remote SMTP server 10.77.0.2:" + port + " connected.");
            assertThat(VrrpLab.waitFor(Duration.ofSeconds(10), () -> lab.log("hang").contains(
                    "Timeout reading data to remote SMTP server 10.77.0.2:" + port + "."))).as(lab.log("hang")).isTrue();
            String all = lab.log("hang");
            assertThat(all.indexOf("Entering MASTER STATE"))
                    .as("MASTER while the BACKUP mail still waits for the server\n" + all)
                    .isLessThan(all.indexOf("Timeout reading data to remote SMTP server"));
            VrrpLab.stop(p, 10);
        } finally {
            hang.destroy();
            VrrpLab.waitExit(hang, 5);
        }
    }

    /** An SMTP server that accepts connections and never answers. */
    private Process hangingServer(int port) throws Exception {
        return new ProcessBuilder("ip", "netns", "exec", lab.ns(2), "python3", "-c",
                "import socket,time\ns=socket.socket()\ns.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\n"
                        + "s.bind(('10.77.0.2'," + port + "))\ns.listen(16)\nc=[]\n"
                        + "while True:\n    c.append(s.accept())\n").start();
    }

    /**
     * The checker side: the virtual server's start-up mail waits for a server that never answers
     * (smtp_connect_timeout 10); meanwhile the real server's listener stops: it fails its check and leaves the pool.
     */
    @Test
    void aHangingSmtpServerDelaysNoChecker() throws Exception {
        int port = 3600 + (int) (ProcessHandle.current().pid() % 100);
        int rsPort = 20000 + (int) (ProcessHandle.current().pid() % 1000);
        String conf = "global_defs {\n    router_id smtplab\n    notification_email {\n        ops@example.org\n"
                + "    }\n    smtp_server 10.77.0.2 " + port + "\n    smtp_connect_timeout 10\n}\n"
                + "virtual_server 10.77.0.201 80 {\n    delay_loop 1\n    lb_algo rr\n    lb_kind NAT\n"
                + "    protocol TCP\n    smtp_alert on\n    real_server 10.77.0.1 " + rsPort + " {\n"
                + "        TCP_CHECK {\n            connect_timeout 1\n            retry 0\n        }\n    }\n}\n";
        Path cf = lab.dir.resolve("hangchk.conf");
        Files.writeString(cf, conf);
        Process hang = hangingServer(port);
        Process srv = listener(rsPort);
        Process jv = null;
        try {
            Thread.sleep(500);
            jv = new ProcessBuilder("ip", "netns", "exec", lab.ns(1),
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC", "-Xmx96m",
                    "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "io.javalived.cli.Main",
                    "run", "--ipvs-dry-run", "--no-metrics", "-p", lab.dir.resolve("hangchk.pid").toString(), "-f",
                    cf.toString()).redirectErrorStream(true).redirectOutput(lab.dir.resolve("hangchk.log").toFile())
                    .start();
            assertThat(VrrpLab.waitFor(Duration.ofSeconds(30), () -> lab.log("hangchk").contains(
                    "Gained quorum 1+0=1 <= 1 for VS [10.77.0.201]:tcp:80") && lab.log("hangchk").contains(
                    "Remote SMTP server 10.77.0.2:" + port + " connected."))).as(lab.log("hangchk")).isTrue();
            srv.destroy();
            VrrpLab.waitExit(srv, 5);
            assertThat(VrrpLab.waitFor(Duration.ofSeconds(15), () -> lab.log("hangchk").contains(
                    "Lost quorum 1-0=1 > 0 for VS [10.77.0.201]:tcp:80"))).as(lab.log("hangchk")).isTrue();
            String log = lab.log("hangchk");
            assertThat(log).as("the start-up mail is still waiting for the server")
                    .contains("Removing service [10.77.0.1]:tcp:" + rsPort + " from VS [10.77.0.201]:tcp:80")
                    .doesNotContain("Timeout reading data");
        } finally {
            if (jv != null) {
                VrrpLab.stop(jv, 10);
            }
            srv.destroy();
            VrrpLab.waitExit(srv, 3);
            hang.destroy();
            VrrpLab.waitExit(hang, 5);
        }
    }
}
