package io.javalived.it.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code javalived demo} as a new user runs it: this checkout's HEAD is cloned into a temporary directory, and
 * {@code ./javalived demo} runs there - the launcher builds the jar first (a fresh checkout has none; offline, from
 * ~/.m2, without installing into it). The demo must complete (exit 0) having printed the health-check removal and
 * the failover, and leave no namespace of its lab ({@code jvdemo-PID-*}) and no process of it ({@code pgrep -f
 * jvdemo-PID-}) behind. A second run is interrupted with SIGINT (Ctrl-C) in the middle and must clean up the same.
 * Needs root (namespaces), as CI runs.
 *
 * <p>Measured on the 2-core dev host: clone + build of the clean checkout about 15-25 s, the demo itself about 9 s.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoCleanCheckoutTest {
    /** Bound on the whole first run: the build of a fresh checkout plus the demo. */
    static final long RUN_MINUTES = 8;
    static Path tmp;
    static Path repo;

    @BeforeAll
    static void cloneHead() throws Exception {
        Path top = Path.of(sh(Path.of(System.getProperty("user.dir")), 30, "git", "rev-parse", "--show-toplevel")
                .strip());
        tmp = Files.createTempDirectory("jvdemo-it-");
        repo = tmp.resolve("checkout");
        long t = System.nanoTime();
        sh(tmp, 120, "git", "clone", "-q", "--no-hardlinks", top.toString(), repo.toString());
        System.out.printf("demo test: cloned %s (HEAD %s) in %d ms%n", top,
                sh(repo, 30, "git", "rev-parse", "--short", "HEAD").strip(), (System.nanoTime() - t) / 1_000_000);
        // the launcher's build of the fresh checkout: offline (everything is in ~/.m2 after this build) and
        // without installing the clone's modules into ~/.m2 (that is the working tree's job)
        Files.createDirectories(repo.resolve(".mvn"));
        Files.writeString(repo.resolve(".mvn/maven.config"), "-o -Dmaven.install.skip=true\n");
        assertThat(repo.resolve("cli/target/javalived.jar")).doesNotExist();
    }

    @AfterAll
    static void removeClone() throws Exception {
        if (tmp != null) {
            sh(Path.of("/"), 60, "rm", "-rf", tmp.toString());
        }
    }

    @Test
    @Order(1)
    void demoCompletesFromACleanCheckoutAndLeavesNothingBehind() throws Exception {
        Demo d = Demo.start(repo);
        try {
            boolean done = d.process.waitFor(RUN_MINUTES, TimeUnit.MINUTES);
            String out = d.output();
            System.out.println(out);
            System.out.printf("demo test: build of the fresh checkout %s ms, demo %s ms%n",
                    d.buildMillis(), d.demoMillis());
            assertThat(done).as("the demo finished within " + RUN_MINUTES + " minutes; output:\n" + out).isTrue();
            assertThat(d.process.exitValue()).as("exit code; output:\n" + out).isZero();
            assertThat(repo.resolve("cli/target/javalived.jar")).as("the launcher built the jar").exists();
            assertThat(out).contains("javalived demo: two directors")
                    .contains("director A: VRRP_Instance(VI_1) Entering MASTER STATE")
                    .contains("director B: VRRP_Instance(VI_1) Entering BACKUP STATE")
                    .contains("TCP  10.255.0.100:80 rr")
                    .contains("Removing service [10.255.0.12]:tcp:80 from VS [10.255.0.100]:tcp:80")
                    .contains("Step 6/6")
                    .containsPattern("The VIP is on director B's eth0 \\d+ ms after the SIGTERM")
                    .contains("-> 02:00:0a:ff:00:02 (director B)")
                    .contains("answered by 02:00:0a:ff:00:02 (director B)")
                    .contains("no namespace " + d.prefix() + "* is left")
                    .contains("Demo complete in");
            // the removal comes before the failover
            assertThat(out.indexOf("Removing service [10.255.0.12]")).isLessThan(out.indexOf("Step 6/6"));
            d.assertNothingLeft();
        } finally {
            d.kill();
        }
    }

    @Test
    @Order(2)
    void ctrlCInTheMiddleRemovesTheLab() throws Exception {
        Demo d = Demo.start(repo);
        try {
            // in the middle: the lab is up, both web servers run and both daemons are starting (they hold the VIP
            // a second or two later; by then the demo moves fast, so this is the moment that can be caught)
            assertThat(d.waitForLine("starting director B:", RUN_MINUTES * 60))
                    .as("the demo started director B; output:\n" + d.output()).isTrue();
            assertThat(sh(Path.of("/"), 30, "ip", "netns", "list")).contains(d.prefix() + "a");
            assertThat(d.labProcesses()).as("the lab's processes before Ctrl-C (web servers, directors)")
                    .hasSizeGreaterThanOrEqualTo(3);
            long t = System.nanoTime();
            sh(Path.of("/"), 10, "kill", "-INT", Long.toString(d.process.pid()));
            boolean done = d.process.waitFor(60, TimeUnit.SECONDS);
            String out = d.output();
            System.out.println(out);
            System.out.printf("demo test: Ctrl-C to exit %d ms%n", (System.nanoTime() - t) / 1_000_000);
            assertThat(done).as("the demo exited within 60 s of SIGINT; output:\n" + out).isTrue();
            assertThat(d.process.exitValue()).as("exit code after Ctrl-C; output:\n" + out).isEqualTo(130);
            assertThat(out).contains("Interrupted: stopping the lab's processes and deleting its namespaces")
                    .contains("Lab " + d.prefix() + "* removed.")
                    .doesNotContain("Demo complete");
            d.assertNothingLeft();
        } finally {
            d.kill();
        }
    }

    /** One run of {@code ./javalived demo} in the clone, its output collected line by line. */
    static final class Demo {
        final Process process;
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        final long startNanos = System.nanoTime();
        volatile long firstDemoLineNanos;

        private Demo(Process p) {
            this.process = p;
        }

        /** Starts {@code ./javalived demo ARGS} in the checkout {@code repo}. */
        static Demo start(Path repo, String... args) throws IOException {
            return start(repo, java.util.Map.of(), args);
        }

        /** As {@link #start(Path, String...)}, with {@code env} added to the environment. */
        static Demo start(Path repo, java.util.Map<String, String> env, String... args) throws IOException {
            // SIGINT as a terminal delivers it: not ignored, whatever this JVM's parent did with it
            List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT", "./javalived", "demo"));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true);
            pb.environment().remove("JAVALIVED_JAR");
            pb.environment().remove("JAVALIVED_JAVA_OPTS");
            pb.environment().putAll(env);
            Demo d = new Demo(pb.start());
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(d.process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        if (d.firstDemoLineNanos == 0 && l.contains("javalived demo: two directors")) {
                            d.firstDemoLineNanos = System.nanoTime();
                        }
                        d.lines.add(l);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "demo-output");
            reader.setDaemon(true);
            reader.start();
            return d;
        }

        /** env execs the launcher, which execs java: the process's PID is the demo JVM's, which names the lab. */
        String prefix() {
            return "jvdemo-" + process.pid() + "-";
        }

        String output() {
            try {
                Thread.sleep(200); // the reader thread drains the last lines
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        long buildMillis() {
            return firstDemoLineNanos == 0 ? -1 : (firstDemoLineNanos - startNanos) / 1_000_000;
        }

        long demoMillis() {
            return firstDemoLineNanos == 0 ? -1 : (System.nanoTime() - firstDemoLineNanos) / 1_000_000;
        }

        boolean waitForLine(String text, long seconds) throws InterruptedException {
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < end && process.isAlive()) {
                synchronized (lines) {
                    if (lines.stream().anyMatch(l -> l.contains(text))) {
                        return true;
                    }
                }
                Thread.sleep(100);
            }
            synchronized (lines) {
                return lines.stream().anyMatch(l -> l.contains(text));
            }
        }

        /** PIDs of processes whose command line names this lab (daemons, web servers). */
        List<Long> labProcesses() throws IOException {
            String o = sh(Path.of("/"), 10, "pgrep", "-f", prefix());
            List<Long> pids = new ArrayList<>();
            for (String s : o.split("\\s+")) {
                if (s.matches("\\d+")) {
                    pids.add(Long.parseLong(s));
                }
            }
            return pids;
        }

        List<String> labNamespaces() throws IOException {
            return sh(Path.of("/"), 30, "ip", "netns", "list").lines().map(l -> l.split("\\s+")[0])
                    .filter(n -> n.startsWith(prefix())).toList();
        }

        /** The demo's directory of configurations and logs: java.io.tmpdir/jvdemo-PID-*. */
        List<Path> labDirs() throws IOException {
            try (var s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
                return s.filter(p -> p.getFileName().toString().startsWith(prefix())).toList();
            }
        }

        void assertNothingLeft() throws IOException {
            assertThat(labNamespaces()).as("namespaces " + prefix() + "* left").isEmpty();
            assertThat(labProcesses()).as("processes of " + prefix() + "* left (pgrep -f)").isEmpty();
            assertThat(labDirs()).as("the lab's files left").isEmpty();
        }

        /** Whatever happened: the demo and every process of its lab by PID, then its namespaces. */
        void kill() throws IOException {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            for (long pid : labProcesses()) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            for (String ns : labNamespaces()) {
                sh(Path.of("/"), 30, "ip", "netns", "del", ns);
            }
            for (Path dir : labDirs()) {
                sh(Path.of("/"), 30, "rm", "-rf", dir.toString());
            }
        }
    }

    /** Runs {@code cmd} in {@code dir} for at most {@code seconds}; its output (stdout and stderr). */
    static String sh(Path dir, long seconds, String... cmd) throws IOException {
        Path outFile = Files.createTempFile("jvdemo-it-sh", ".out");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(outFile.toFile()).start();
            try {
                if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException(String.join(" ", cmd) + ": did not finish within " + seconds + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
                throw new IOException("interrupted: " + String.join(" ", cmd));
            }
            String o = Files.readString(outFile);
            if (p.exitValue() != 0 && !cmd[0].equals("pgrep")) {
                throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + o);
            }
            return o;
        } finally {
            Files.deleteIfExists(outFile);
        }
    }
}
