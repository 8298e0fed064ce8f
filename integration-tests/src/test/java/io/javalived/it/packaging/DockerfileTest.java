package io.javalived.it.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.it.packaging.Dockerfile.Instruction;
import io.javalived.it.packaging.Dockerfile.Stage;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dockerfile, without a Docker engine (these machines have none): its build stage is reproduced on the host
 * (the {@code mvn package} output is the reactor's cli/target/javalived.jar; the other RUN lines run here with
 * the stage's absolute paths moved under a temp root), every COPY source is checked to exist, the runtime
 * stage's files are copied to the same paths under another temp root with the same ENV, and its ENTRYPOINT is
 * run: with {@code --version}, and with the default CMD on a "mounted" keepalived.conf in a network namespace
 * of this test's own (VRRP MASTER, SIGHUP reload, SIGTERM stop).
 */
class DockerfileTest {
    static final String BUILD_WORKDIR = "/src";

    @TempDir
    static Path tmp;
    static Path repo;
    static Dockerfile dockerfile;
    /** The build stage's filesystem outside WORKDIR (/src is the repository). */
    static Path buildRoot;
    /** The runtime stage's files, at the image's paths. */
    static Path imageRoot;

    @BeforeAll
    static void reproduceTheBuild() throws Exception {
        repo = Run.repo();
        dockerfile = Dockerfile.parse(Files.readString(repo.resolve("Dockerfile")));
        buildRoot = Files.createDirectories(tmp.resolve("build"));
        imageRoot = Files.createDirectories(tmp.resolve("image"));
        Stage build = dockerfile.stages.get(0);
        assertThat(build.name()).as("first stage is the build stage").isNotNull();
        assertThat(build.last("WORKDIR").args()).isEqualTo(BUILD_WORKDIR);
        for (Instruction i : build.instructions()) {
            switch (i.keyword()) {
                case "WORKDIR" -> { }
                case "COPY" -> assertThat(i.words()).as("the build stage copies the context").containsExactly(".", ".");
                case "RUN" -> runInBuildStage(i);
                default -> throw new AssertionError("line " + i.line() + ": unexpected in the build stage: " + i);
            }
        }
        Stage runtime = dockerfile.last();
        for (Instruction i : runtime.all("COPY")) {
            List<String> w = new ArrayList<>(i.words());
            String from = null;
            if (w.get(0).startsWith("--from=")) {
                from = w.remove(0).substring("--from=".length());
                assertThat(from).isEqualTo(build.name());
            }
            assertThat(w).as("line %d: COPY SRC DST", i.line()).hasSize(2);
            Path src = from == null ? repo.resolve(w.get(0)) : inBuildStage(w.get(0));
            assertThat(src).as("line %d: COPY source %s", i.line(), w.get(0)).exists();
            String dst = w.get(1);
            Path target = imageRoot.resolve(dst.substring(1));
            if (dst.endsWith("/")) {
                target = target.resolve(src.getFileName().toString());
            }
            Files.createDirectories(target.getParent());
            Files.copy(src, target, StandardCopyOption.COPY_ATTRIBUTES); // COPY keeps the mode bits
        }
        // the runtime stage's own RUN lines but the package installation (the base image's business), with the
        // image's paths under imageRoot: the class archive is built there, for the jar at its path in the image
        for (Instruction i : runtime.all("RUN")) {
            if (!i.args().contains("apt-get")) {
                runInImage(i);
            }
        }
    }

    static void runInImage(Instruction i) throws Exception {
        List<String> cmd = new ArrayList<>();
        for (String word : i.words()) {
            assertThat(word).as("line %d: plain words only (no shell syntax)", i.line()).doesNotContainPattern(
                    "[|&;<>$`'\"]");
            cmd.add(word.startsWith("/") ? imageRoot + word : word);
        }
        Run r = Run.of(tmp, imageEnv(), cmd);
        assertThat(r.exit()).as("line %d: %s\n%s", i.line(), cmd, r.err()).isZero();
    }

    /** A build-stage path: under WORKDIR it is the repository, elsewhere under buildRoot. */
    static Path inBuildStage(String path) {
        if (!path.startsWith("/")) {
            return repo.resolve(path);
        }
        if (path.equals(BUILD_WORKDIR) || path.startsWith(BUILD_WORKDIR + "/")) {
            return repo.resolve(path.substring(BUILD_WORKDIR.length()).replaceFirst("^/", ""));
        }
        return buildRoot.resolve(path.substring(1));
    }

    static void runInBuildStage(Instruction i) throws Exception {
        List<String> w = i.words();
        if (w.get(0).equals("mvn")) {
            // the reactor this test runs in did this: check the command and its product
            assertThat(w).contains("-B", "-DskipTests", "package");
            Run.jar();
            return;
        }
        List<String> cmd = new ArrayList<>();
        String prev = "";
        for (String word : w) {
            assertThat(word).as("line %d: plain words only (no shell syntax)", i.line()).doesNotContainPattern(
                    "[|&;<>$`'\"]");
            // install.sh's --prefix/--sysconfdir/--unitdir are paths in the image, not in the build stage
            boolean imagePath = prev.equals("--prefix") || prev.equals("--sysconfdir") || prev.equals("--unitdir");
            cmd.add(word.startsWith("/") && !imagePath ? inBuildStage(word).toString() : word);
            prev = word;
        }
        Run r = Run.of(repo, Map.of(), cmd);
        assertThat(r.exit()).as("line %d: %s\n%s", i.line(), cmd, r.err()).isZero();
    }

    /** The runtime ENV, absolute paths moved under imageRoot. */
    static Map<String, String> imageEnv() {
        Map<String, String> env = new HashMap<>();
        dockerfile.last().env().forEach((k, v) -> env.put(k, v.startsWith("/") ? imageRoot + v : v));
        return env;
    }

    static List<String> entrypoint() {
        List<String> ep = dockerfile.last().last("ENTRYPOINT").execForm();
        assertThat(ep).as("ENTRYPOINT in exec form (a shell as PID 1 would not pass SIGTERM/SIGHUP on)").isNotNull();
        List<String> out = new ArrayList<>(ep);
        out.set(0, imageRoot + ep.get(0));
        return out;
    }

    @Test
    void stagesAreAMavenBuildAndAJre17RuntimeWithTheOperatorsTools() {
        assertThat(dockerfile.stages).hasSize(2);
        assertThat(dockerfile.stages.get(0).image()).startsWith("maven:").contains("eclipse-temurin-17");
        Stage runtime = dockerfile.last();
        assertThat(runtime.image()).isEqualTo("eclipse-temurin:17-jre");
        String runs = String.join(" ", runtime.all("RUN").stream().map(Instruction::args).toList());
        assertThat(runs).contains("apt-get install -y --no-install-recommends", "iproute2", "ipvsadm",
                "rm -rf /var/lib/apt/lists/*");
        // hadolint-style rules, by hand: update and install in one layer, no cache left, pinned base images
        for (Instruction i : runtime.all("RUN")) {
            if (i.args().contains("apt-get install")) {
                assertThat(i.args()).as("line %d", i.line()).contains("apt-get update", "-y")
                        .contains("rm -rf /var/lib/apt/lists/*");
            }
        }
        for (Stage st : dockerfile.stages) {
            assertThat(st.image()).as("base image tag").contains(":").doesNotEndWith(":latest");
        }
        assertThat(runtime.all("ADD")).isEmpty();
        assertThat(runtime.env()).containsEntry("JAVALIVED_JAR", "/usr/share/javalived/javalived.jar");
        assertThat(runtime.last("ENTRYPOINT").execForm()).containsExactly("/usr/bin/javalived");
        assertThat(runtime.last("CMD").execForm()).containsExactly("run", "-f", "/etc/keepalived/keepalived.conf");
        assertThat(runtime.all("EXPOSE")).isEmpty(); // host network: nothing to publish (documented)
        assertThat(runtime.all("USER")).isEmpty(); // root in the container, with only the caps given by --cap-add
        // the documented run line
        String text = readQuietly(repo.resolve("Dockerfile"));
        assertThat(text).contains("--network host --cap-add NET_ADMIN --cap-add NET_RAW",
                "-v /etc/keepalived:/etc/keepalived:ro");
    }

    @Test
    void imageHasTheProgramItsManPageAndCompletion() {
        assertThat(imageRoot.resolve("usr/share/javalived/javalived.jar")).isRegularFile();
        assertThat(imageRoot.resolve("usr/bin/javalived")).isExecutable();
        assertThat(imageRoot.resolve("usr/share/man/man1/javalived.1.gz")).isRegularFile();
        assertThat(imageRoot.resolve("usr/share/bash-completion/completions/javalived")).isRegularFile();
        assertThat(readQuietly(imageRoot.resolve("usr/share/bash-completion/completions/javalived")))
                .contains("complete -F");
    }

    @Test
    void buildContextHoldsEveryTrackedFileAndNoBuildOutput() throws Exception {
        List<String> patterns = Files.readAllLines(repo.resolve(".dockerignore")).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(patterns).contains(".git", "**/target");
        List<PathMatcher> ignore = patterns.stream()
                .map(p -> FileSystems.getDefault().getPathMatcher("glob:" + p)).toList();
        Run tracked = Run.of(repo, Map.of(), List.of("git", "ls-files"));
        List<String> files;
        if (tracked.exit() == 0) {
            files = tracked.out().lines().toList();
        } else { // not a git checkout (a source tarball): every file but build output
            try (var walk = Files.walk(repo)) {
                files = walk.filter(Files::isRegularFile).map(f -> repo.relativize(f).toString())
                        .filter(f -> !f.matches("(.*/)?target/.*")).toList();
            }
        }
        assertThat(files).contains("pom.xml", "javalived", "packaging/install.sh", "cli/pom.xml");
        for (String f : files) {
            assertThat(ignored(ignore, f)).as("tracked file %s left out of the build context", f).isFalse();
        }
        assertThat(ignored(ignore, "cli/target/javalived.jar")).isTrue();
        assertThat(ignored(ignore, "target/x")).isTrue();
        assertThat(ignored(ignore, ".git/HEAD")).isTrue();
    }

    /** Docker's rule: a path is left out when it or one of its parent directories matches. */
    private static boolean ignored(List<PathMatcher> ignore, String file) {
        Path p = Path.of(file);
        for (int n = 1; n <= p.getNameCount(); n++) {
            Path prefix = p.subpath(0, n);
            for (PathMatcher m : ignore) {
                // '**/target' must also match a top-level 'target' (Go's filepath.Match with ** as docker does)
                if (m.matches(prefix) || m.matches(Path.of("x").resolve(prefix))) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void entrypointPrintsTheVersionFromTheImageLayout() throws Exception {
        List<String> cmd = new ArrayList<>(entrypoint());
        cmd.add("--version");
        Run r = Run.of(tmp, imageEnv(), cmd);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo("javalived " + Run.projectVersion());
        assertThat(r.err()).doesNotContain("building"); // the image's launcher never builds

        // the class archive built in the runtime stage: a short command maps the program's classes from it
        assertThat(imageRoot.resolve("usr/share/javalived/javalived.jsa")).isRegularFile();
        assertThat(imageRoot.resolve("usr/share/javalived/javalived-daemon.jsa")).isRegularFile();
        Map<String, String> logEnv = imageEnv();
        logEnv.put("JAVALIVED_CLI_JAVA_OPTS", "-XX:+UseSerialGC -Xlog:class+load=info");
        Run logged = Run.of(tmp, logEnv, cmd);
        assertThat(logged.exit()).as(logged.err()).isZero();
        assertThat(logged.out()).contains("io.javalived.cli.Main source: shared objects file");

        // JAVALIVED_JAR pointing nowhere: a clear message, no build attempt
        Map<String, String> env = imageEnv();
        env.put("JAVALIVED_JAR", imageRoot + "/nonexistent.jar");
        Run bad = Run.of(tmp, env, cmd);
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("JAVALIVED_JAR=" + imageRoot + "/nonexistent.jar does not exist")
                .doesNotContain("building");
    }

    @Test
    void defaultCommandRunsTheMountedConfigReloadsOnHupAndStopsOnTerm() throws Exception {
        String ns = "jvpkd" + ProcessHandle.current().pid();
        Path conf = imageRoot.resolve("etc/keepalived/keepalived.conf"); // the -v mount
        Files.createDirectories(conf.getParent());
        Files.writeString(conf, """
                global_defs {
                    router_id jvpk
                }
                vrrp_instance VI_1 {
                    state BACKUP
                    interface jvpka
                    virtual_router_id 77
                    priority 100
                    advert_int 1
                    virtual_ipaddress {
                        192.168.77.100/24
                    }
                }
                """);
        Path log = tmp.resolve("run.log");
        Path pid = imageRoot.resolve("run/javalived.pid");
        Files.createDirectories(pid.getParent());
        Process p = null;
        try {
            sh("ip netns add " + ns);
            sh("ip -n " + ns + " link set lo up");
            sh("ip -n " + ns + " link add jvpka type veth peer name jvpkb");
            sh("ip -n " + ns + " addr add 192.168.77.1/24 dev jvpka");
            sh("ip -n " + ns + " link set jvpka up");
            sh("ip -n " + ns + " link set jvpkb up");
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
            cmd.addAll(entrypoint());
            for (String a : dockerfile.last().last("CMD").execForm()) {
                cmd.add(a.startsWith("/") ? imageRoot + a : a);
            }
            cmd.addAll(List.of("-p", pid.toString())); // the image's /run, not this host's
            Map<String, String> env = imageEnv();
            env.put("JAVALIVED_JAVA_OPTS", "-XX:+UseSerialGC -Xmx96m -XX:TieredStopAtLevel=1");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            p = pb.start();
            waitFor(log, "VRRP_Instance(VI_1) Entering MASTER STATE", 30);
            assertThat(Run.sh("ip -n " + ns + " addr show dev jvpka").out()).contains("192.168.77.100/24");
            assertThat(pid).hasContent(Long.toString(p.pid()) + "\n"); // the launcher exec'd the JVM

            sh("kill -HUP " + p.pid());
            waitFor(log, "Reloading javalived on signal SIGHUP", 20);
            assertThat(p.isAlive()).isTrue();

            p.destroy(); // SIGTERM, as docker stop
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
            // 128+SIGTERM after the shutdown hook: javalived.service's SuccessExitStatus lists it
            assertThat(p.exitValue()).isEqualTo(143);
            assertThat(readQuietly(repo.resolve("packaging/javalived.service")))
                    .containsPattern("(?m)^SuccessExitStatus=.*\\b143\\b");
            assertThat(Run.sh("ip -n " + ns + " addr show dev jvpka").out()).doesNotContain("192.168.77.100");
            assertThat(pid).doesNotExist();
            assertThat(readQuietly(log)).contains("Stopped javalived");
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            Run.sh("ip netns del " + ns + " 2>/dev/null");
        }
    }

    private static void sh(String cmd) throws Exception {
        Run r = Run.sh(cmd);
        assertThat(r.exit()).as(cmd + ": " + r.out() + r.err()).isZero();
    }

    private static void waitFor(Path log, String text, int seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (readQuietly(log).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + text + "' within " + seconds + " s; log:\n" + readQuietly(log));
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
