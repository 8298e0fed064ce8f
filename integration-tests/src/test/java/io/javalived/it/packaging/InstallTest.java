package io.javalived.it.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * packaging/install.sh into a temp DESTDIR and into a temp PREFIX, and packaging/javalived.service: the
 * installed launcher runs the installed jar, the installed man page and completion work, the unit's keys are
 * what systemd knows and what an operator coming from keepalived.service expects, its ExecStart is accepted by
 * the CLI, and {@code systemd-analyze verify} accepts the installed unit without a warning (where systemd is
 * installed).
 */
class InstallTest {
    @TempDir
    Path tmp;

    private Run install(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Run.repo().resolve("packaging/install.sh").toString(),
                "--jar", Run.jar().toString()));
        cmd.addAll(List.of(args));
        return Run.of(tmp, Map.of(), cmd);
    }

    @Test
    void installsIntoADestdirWithTheStandardLayout() throws Exception {
        Path d = tmp.resolve("destdir");
        Run r = install("--destdir", d.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("installed /usr/bin/javalived").doesNotContain("systemctl enable")
                // the class archive fits the jar at its final path only: built there, later
                .contains("once in place: /usr/share/javalived/build-cds-archive /usr/share/javalived/javalived.jar");
        assertThat(d.resolve("usr/share/javalived/javalived.jsa")).doesNotExist();
        assertThat(mode(d.resolve("usr/bin/javalived"))).isEqualTo("rwxr-xr-x");
        assertThat(mode(d.resolve("usr/share/javalived/build-cds-archive"))).isEqualTo("rwxr-xr-x");
        for (String f : List.of("usr/share/javalived/javalived.jar", "usr/share/man/man1/javalived.1.gz",
                "usr/share/bash-completion/completions/javalived", "usr/lib/systemd/system/javalived.service",
                "etc/default/javalived")) {
            assertThat(mode(d.resolve(f))).as(f).isEqualTo("rw-r--r--");
        }
        assertThat(sha256(d.resolve("usr/share/javalived/javalived.jar"))).as("the installed jar is the built one")
                .isEqualTo(sha256(Run.jar()));
        Map<String, List<String>> unit = parseUnit(d.resolve("usr/lib/systemd/system/javalived.service")).get("Service");
        assertThat(unit.get("ExecStart")).containsExactly(
                "/usr/bin/javalived run -f /etc/keepalived/keepalived.conf -p /run/javalived.pid $DAEMON_ARGS");

        // the installed launcher finds the installed jar by itself (no JAVALIVED_JAR, no checkout around it)
        Run v = Run.of(tmp, Map.of(), List.of(d.resolve("usr/bin/javalived").toString(), "--version"));
        assertThat(v.exit()).as(v.err()).isZero();
        assertThat(v.out().strip()).isEqualTo("javalived " + Run.projectVersion());

        // the installed man page renders and names the commands
        String man = Run.which("man");
        assertThat(man).as("man-db is needed (.ci/run installs it)").isNotNull();
        Run page = Run.of(tmp, Map.of("MANWIDTH", "100", "MANPAGER", "cat", "PAGER", "cat", "MAN_DISABLE_SECCOMP",
                "1"), List.of(man, "-l", d.resolve("usr/share/man/man1/javalived.1.gz").toString()));
        assertThat(page.exit()).as(page.err()).isZero();
        assertThat(page.out().replaceAll(".\b", "")).contains("javalived run", "javalived check", "SIGHUP");

        // the installed completion registers itself for 'javalived'
        Run comp = Run.of(tmp, Map.of(), List.of("bash", "--norc", "--noprofile", "-c", "source '"
                + d.resolve("usr/share/bash-completion/completions/javalived") + "' && complete -p javalived"));
        assertThat(comp.exit()).as(comp.err()).isZero();
        assertThat(comp.out()).contains("-F ").endsWith("javalived\n");

        // a second install keeps the operator's /etc/default/javalived
        Files.writeString(d.resolve("etc/default/javalived"), "DAEMON_ARGS=\"-P\"\n");
        Run again = install("--destdir", d.toString());
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.err()).contains("keeping the existing /etc/default/javalived");
        assertThat(d.resolve("etc/default/javalived")).hasContent("DAEMON_ARGS=\"-P\"");

        // --uninstall removes what was installed, keeps the operator's /etc/default/javalived
        assertThat(d.resolve("usr/share/javalived/installed-files")).exists();
        Run un = Run.of(tmp, Map.of(), List.of(Run.repo().resolve("packaging/install.sh").toString(), "--uninstall",
                "--destdir", d.toString()));
        assertThat(un.exit()).as(un.err()).isZero();
        try (var files = Files.walk(d)) {
            assertThat(files.filter(Files::isRegularFile).map(f -> d.relativize(f).toString()))
                    .containsExactly("etc/default/javalived");
        }
        Run again2 = Run.of(tmp, Map.of(), List.of(Run.repo().resolve("packaging/install.sh").toString(),
                "--uninstall", "--destdir", d.toString()));
        assertThat(again2.exit()).isEqualTo(1);
        assertThat(again2.err()).contains("nothing installed");
    }

    @Test
    void installsAClassArchiveThatTheInstalledLauncherUsesForShortCommands() throws Exception {
        Path prefix = tmp.resolve("c/usr");
        Run r = install("--prefix", prefix.toString(), "--sysconfdir", tmp.resolve("c/etc").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        Path jar = prefix.resolve("share/javalived/javalived.jar");
        Path archive = prefix.resolve("share/javalived/javalived.jsa");
        assertThat(archive).isRegularFile();
        assertThat(r.out()).contains("installed " + archive);
        assertThat(Files.readString(prefix.resolve("share/javalived/installed-files"))).contains(archive + "\n");
        // and the daemon's (build-cds-archive --daemon), which 'javalived run' maps when its JVM options name it
        Path daemonArchive = prefix.resolve("share/javalived/javalived-daemon.jsa");
        assertThat(daemonArchive).isRegularFile();
        assertThat(r.out()).contains("installed " + daemonArchive);
        assertThat(Files.readString(prefix.resolve("share/javalived/installed-files"))).contains(daemonArchive + "\n");
        Run daemonRun = Run.of(tmp, Map.of("JAVALIVED_JAVA_OPTS", "-XX:+UseShenandoahGC -Xmx64m -XX:SharedArchiveFile="
                + daemonArchive + " -Xshare:auto -Xlog:class+load=info"), List.of(prefix.resolve("bin/javalived")
                .toString(), "run", "--help"));
        assertThat(daemonRun.exit()).as(daemonRun.err()).isZero();
        assertThat(daemonRun.out()).contains("io.javalived.cli.RunCommand source: shared objects file",
                "picocli.CommandLine source: shared objects file");

        // a short command maps the program's classes from it (the JVM's class+load log says where each came from)
        String launcher = prefix.resolve("bin/javalived").toString();
        Map<String, String> log = Map.of("JAVALIVED_CLI_JAVA_OPTS", "-XX:+UseSerialGC -Xlog:class+load=info");
        Run v = Run.of(tmp, log, List.of(launcher, "--version"));
        assertThat(v.exit()).as(v.err()).isZero();
        assertThat(v.out()).contains("io.javalived.cli.Main source: shared objects file",
                "picocli.CommandLine source: shared objects file", "javalived " + Run.projectVersion());

        // a jar replaced after the archive was built: the launcher runs it without the archive (and still runs)
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.from(java.time.Instant.now().plusSeconds(2)));
        Run stale = Run.of(tmp, log, List.of(launcher, "--version"));
        assertThat(stale.exit()).as(stale.err()).isZero();
        assertThat(stale.out()).contains("io.javalived.cli.Main source: file:", "javalived " + Run.projectVersion());
        // the archive gone: the same
        Files.delete(archive);
        Run none = Run.of(tmp, Map.of(), List.of(launcher, "status", "-p", tmp.resolve("none.pid").toString()));
        assertThat(none.exit()).as(none.err()).isEqualTo(3);
        assertThat(none.err()).contains("no javalived daemon answers on " + tmp.resolve("none.sock"));
        // build-cds-archive, installed beside the jar, builds it again; --uninstall removes it with the rest
        Run again = Run.of(tmp, Map.of(), List.of(prefix.resolve("share/javalived/build-cds-archive").toString(),
                jar.toString()));
        assertThat(again.exit()).as(again.err()).isZero();
        Run used = Run.of(tmp, log, List.of(launcher, "--version"));
        assertThat(used.out()).contains("io.javalived.cli.Main source: shared objects file");
        Run un = Run.of(tmp, Map.of(), List.of(Run.repo().resolve("packaging/install.sh").toString(), "--uninstall",
                "--prefix", prefix.toString()));
        assertThat(un.exit()).as(un.err()).isZero();
        assertThat(archive).doesNotExist();
        assertThat(daemonArchive).doesNotExist();
        assertThat(prefix.resolve("share/javalived")).doesNotExist();
    }

    @Test
    void installedLauncherSaysWhatIsMissing() throws Exception {
        Path d = tmp.resolve("destdir");
        assertThat(install("--destdir", d.toString()).exit()).isZero();
        String launcher = d.resolve("usr/bin/javalived").toString();
        // no java: only the tools the launcher itself uses are on PATH
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        for (String tool : List.of("readlink", "dirname")) {
            Path w = Files.writeString(bin.resolve(tool), "#!/bin/sh\nexec " + Run.which(tool) + " \"$@\"\n");
            Files.setPosixFilePermissions(w, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Run noJava = Run.of(tmp, Map.of("PATH", bin.toString()), true, List.of(Run.which("bash"), launcher,
                "--version"));
        assertThat(noJava.exit()).isEqualTo(1);
        assertThat(noJava.err()).contains("no java on PATH - install a Java 17 runtime");
        // the jar gone: says so, does not try to build
        Files.delete(d.resolve("usr/share/javalived/javalived.jar"));
        Run noJar = Run.of(tmp, Map.of(), List.of(launcher, "--version"));
        assertThat(noJar.exit()).isEqualTo(1);
        assertThat(noJar.err()).contains(d.resolve("usr/share/javalived/javalived.jar") + " not found - reinstall")
                .doesNotContain("building");
    }

    @Test
    void refusesWithoutAJarOrWithABadArgument() throws Exception {
        Run noJar = Run.of(tmp, Map.of(), List.of(Run.repo().resolve("packaging/install.sh").toString(), "--jar",
                tmp.resolve("none.jar").toString(), "--destdir", tmp.resolve("d").toString()));
        assertThat(noJar.exit()).isEqualTo(1);
        assertThat(noJar.err()).contains("none.jar not found - build it first");
        assertThat(tmp.resolve("d")).doesNotExist();
        Run bad = install("--prefixx", "/usr");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown argument '--prefixx'", "usage:");
        Run rel = install("--prefix", "usr", "--destdir", tmp.resolve("d").toString());
        assertThat(rel.exit()).isEqualTo(2);
        assertThat(rel.err()).contains("--prefix must be absolute");
    }

    @Test
    void unitHasWhatAnOperatorExpectsAndOnlyKeysSystemdKnows() throws Exception {
        Map<String, Map<String, List<String>>> unit = parseUnit(Run.repo().resolve("packaging/javalived.service"));
        assertThat(unit.keySet()).containsExactly("Unit", "Service", "Install");
        Map<String, Set<String>> known = Map.of(
                "Unit", Set.of("Description", "Documentation", "After", "Before", "Wants", "Requires", "Conflicts",
                        "ConditionFileNotEmpty", "ConditionPathExists", "StartLimitIntervalSec", "StartLimitBurst"),
                "Service", Set.of("Type", "EnvironmentFile", "Environment", "ExecStartPre", "ExecStart",
                        "ExecReload", "KillMode", "KillSignal", "TimeoutStopSec", "TimeoutStartSec",
                        "SuccessExitStatus", "Restart", "RestartSec", "AmbientCapabilities",
                        "CapabilityBoundingSet", "LimitNOFILE", "PIDFile", "User", "Group", "SyslogIdentifier"),
                "Install", Set.of("WantedBy", "Alias"));
        unit.forEach((section, keys) -> assertThat(known.get(section)).as("[%s] keys", section)
                .containsAll(keys.keySet()));
        Map<String, List<String>> u = unit.get("Unit");
        Map<String, List<String>> s = unit.get("Service");
        assertThat(u.get("After")).containsExactly("network-online.target");
        assertThat(u.get("Wants")).containsExactly("network-online.target");
        assertThat(u.get("Conflicts")).containsExactly("keepalived.service");
        assertThat(u.get("ConditionFileNotEmpty")).containsExactly("/etc/keepalived/keepalived.conf");
        assertThat(s.get("Type")).containsExactly("simple");
        assertThat(s.get("ExecReload")).containsExactly("/bin/kill -HUP $MAINPID");
        assertThat(s.get("KillMode")).containsExactly("mixed");
        assertThat(s.get("KillSignal")).containsExactly("SIGTERM");
        assertThat(s.get("Restart")).containsExactly("on-failure");
        assertThat(s.get("SuccessExitStatus").get(0).split(" ")).contains("143");
        assertThat(Integer.parseInt(s.get("TimeoutStopSec").get(0))).isBetween(10, 120);
        assertThat(Long.parseLong(s.get("LimitNOFILE").get(0))).isGreaterThanOrEqualTo(65536);
        assertThat(unit.get("Install").get("WantedBy")).containsExactly("multi-user.target");
        assertThat(s.get("EnvironmentFile")).containsExactly("-/etc/default/javalived");
        assertThat(s.get("SyslogIdentifier")).containsExactly("javalived");

        // ExecStart's arguments are what 'javalived run' accepts (with DAEMON_ARGS empty and with flags)
        List<String> exec = List.of(s.get("ExecStart").get(0).split(" "));
        assertThat(exec.get(0)).isEqualTo("/usr/bin/javalived");
        assertThat(exec.get(exec.size() - 1)).isEqualTo("$DAEMON_ARGS");
        List<String> args = new ArrayList<>(exec.subList(1, exec.size() - 1));
        assertThat(args).containsExactly("run", "-f", "/etc/keepalived/keepalived.conf", "-p", "/run/javalived.pid");
        Main.commandLine().parseArgs(args.toArray(String[]::new));
        args.addAll(List.of("-P", "-I", "--no-metrics"));
        Main.commandLine().parseArgs(args.toArray(String[]::new));
        // /etc/default/javalived sets what ExecStart uses
        assertThat(Files.readString(Run.repo().resolve("packaging/javalived.default")))
                .containsPattern("(?m)^DAEMON_ARGS=\"\"$");
    }

    @Test
    void systemdAnalyzeVerifiesTheInstalledUnitWithoutAWarning() throws Exception {
        String analyze = Run.which("systemd-analyze");
        Assumptions.assumeTrue(analyze != null, "systemd-analyze is not installed (the unit's keys are checked by "
                + "unitHasWhatAnOperatorExpectsAndOnlyKeysSystemdKnows)");
        // installed under a temp prefix so that ExecStart= names an executable that exists
        Path prefix = tmp.resolve("p/usr");
        Run r = install("--prefix", prefix.toString(), "--sysconfdir", tmp.resolve("p/etc").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("systemctl enable --now javalived");
        Path unit = prefix.resolve("lib/systemd/system/javalived.service");
        assertThat(Files.readString(unit)).contains("ExecStart=" + prefix + "/bin/javalived run ",
                "EnvironmentFile=-" + tmp.resolve("p/etc/default/javalived"));
        // --man=no: keepalived.conf(5) may be absent (Debian images drop man pages); javalived(1) is checked above
        Run v = Run.of(tmp, Map.of(), List.of(analyze, "verify", "--man=no", unit.toString()));
        assertThat(v.exit()).as(v.out() + v.err()).isZero();
        assertThat(v.out() + v.err()).as("systemd-analyze warnings").isEmpty();

        // the check sees a broken unit (so the empty output above means something)
        Path bad = tmp.resolve("bad/javalived.service");
        Files.createDirectories(bad.getParent());
        Files.writeString(bad, Files.readString(unit).replace("KillMode=mixed", "KillMode=mixd"));
        Run w = Run.of(tmp, Map.of(), List.of(analyze, "verify", "--man=no", bad.toString()));
        assertThat(w.out() + w.err()).contains("kill mode");
    }

    /** section -> key -> values (a key may repeat), comments and blank lines dropped. */
    static Map<String, Map<String, List<String>>> parseUnit(Path file) throws Exception {
        Map<String, Map<String, List<String>>> out = new LinkedHashMap<>();
        Map<String, List<String>> cur = null;
        int n = 0;
        for (String line : Files.readAllLines(file)) {
            n++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith(";")) {
                continue;
            }
            assertThat(t).as("line %d: no continuation lines", n).doesNotEndWith("\\");
            if (t.startsWith("[")) {
                assertThat(t).as("line %d", n).matches("\\[[A-Za-z]+\\]");
                cur = out.computeIfAbsent(t.substring(1, t.length() - 1), k -> new LinkedHashMap<>());
                continue;
            }
            assertThat(cur).as("line %d: key before a section", n).isNotNull();
            int eq = t.indexOf('=');
            assertThat(eq).as("line %d: KEY=VALUE", n).isPositive();
            cur.computeIfAbsent(t.substring(0, eq).strip(), k -> new ArrayList<>()).add(t.substring(eq + 1).strip());
        }
        return out;
    }

    private static String sha256(Path p) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(p)));
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
