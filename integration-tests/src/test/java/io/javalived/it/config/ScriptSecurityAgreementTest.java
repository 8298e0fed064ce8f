package io.javalived.it.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code enable_script_security}: one case per permission rule of keepalived 2.2.7 (lib/notify.c), each given to
 * Debian's {@code keepalived -t -f FILE} and to {@code javalived check -f FILE} (one JVM, {@link
 * JavalivedCheckDriver}) inside a namespace with eth0 ({@link CheckNetns}). Both must give the same exit code, the
 * exit code the rule calls for, and the same "Disabling track script ..." / "SECURITY VIOLATION ..." lines;
 * javalived must also name the unsafe file as keepalived logs it ("Unsafe permissions found for script 'FILE' -
 * disabling.": keepalived -t sends that line to syslog, the runtime test compares it with keepalived's log).
 *
 * <p>The scripts live in a fresh 0700 directory under /tmp: /tmp is world-writable but sticky and owned by root,
 * which keepalived accepts, so only what each case builds below it decides. Cases with a non-root script user are
 * not here: keepalived -t kills itself (SIGTERM) after checking a script as another user (see
 * KeepalivedCheckAgreementTest); ScriptSecurityTest covers them.
 */
class ScriptSecurityAgreementTest {
    static CheckNetns ns;
    static Path base;

    /** One configuration: a script used as {@code kind} (track, notify, misc), the exit both must give. */
    record Case(String name, String kind, boolean security, String script, int exit, List<String> bothSay,
                List<String> javalivedSays) {
        Path file() {
            return base.resolve("conf").resolve(name + ".conf");
        }
    }

    @BeforeAll
    static void setUp() throws Exception {
        ns = CheckNetns.create();
        base = Files.createTempDirectory("jvscsec").toRealPath();
        Path s = base.resolve("s");
        Files.createDirectories(base.resolve("conf"));
        Files.createDirectories(s);
        script(s.resolve("ok.sh"), "755", "root:root");
        script(s.resolve("w.sh"), "777", "root:root");
        script(s.resolve("g.sh"), "775", "root:nogroup");
        script(s.resolve("groot.sh"), "775", "root:root");
        script(s.resolve("nob.sh"), "755", "nobody:root");
        script(s.resolve("ne.sh"), "644", "root:root");
        dir(s.resolve("wd"), "777", "root:root");
        script(s.resolve("wd/s.sh"), "755", "root:root");
        dir(s.resolve("gd"), "775", "root:nogroup");
        script(s.resolve("gd/s.sh"), "755", "root:root");
        dir(s.resolve("grootd"), "775", "root:root");
        script(s.resolve("grootd/s.sh"), "755", "root:root");
        dir(s.resolve("sticky"), "1777", "root:root");
        script(s.resolve("sticky/s.sh"), "755", "root:root");
        dir(s.resolve("stickyn"), "1777", "nobody:root");
        script(s.resolve("stickyn/s.sh"), "755", "root:root");
        dir(s.resolve("nd"), "755", "nobody:nogroup");
        script(s.resolve("nd/s.sh"), "755", "root:root");
        Files.createSymbolicLink(s.resolve("lw.sh"), s.resolve("w.sh"));
        Files.createSymbolicLink(s.resolve("lwd.sh"), s.resolve("wd/s.sh"));
        Files.createSymbolicLink(s.resolve("wd/lok.sh"), s.resolve("ok.sh"));
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (ns != null) {
            ns.close();
        }
        if (base != null) {
            try (Stream<Path> w = Files.walk(base)) {
                w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static void script(Path p, String mode, String owner) throws Exception {
        Files.writeString(p, "#!/bin/sh\nexit 0\n");
        sh("chown", owner, p.toString());
        sh("chmod", mode, p.toString());
    }

    static void dir(Path p, String mode, String owner) throws Exception {
        Files.createDirectories(p);
        sh("chown", owner, p.toString());
        sh("chmod", mode, p.toString());
    }

    static void sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
    }

    static String s(String name) {
        return base.resolve("s").resolve(name).toString();
    }

    static String unsafe(String file) {
        return "Unsafe permissions found for script '" + file + "' - disabling.";
    }

    static final String INSECURE = "Disabling track script chk due to insecure";
    static final String NOT_FOUND = "Disabling track script chk since not found/accessible";

    static List<Case> cases() {
        List<Case> l = new ArrayList<>();
        // vrrp_script: disabled as insecure = configuration error (5) for keepalived -t
        l.add(new Case("track-ok", "track", true, s("ok.sh"), 0, List.of(), List.of()));
        l.add(new Case("track-world-writable", "track", true, s("w.sh"), 5, List.of(INSECURE),
                List.of(unsafe(s("w.sh")))));
        l.add(new Case("track-group-writable-other-group", "track", true, s("g.sh"), 5, List.of(INSECURE),
                List.of(unsafe(s("g.sh")))));
        l.add(new Case("track-group-writable-root-group", "track", true, s("groot.sh"), 0, List.of(), List.of()));
        l.add(new Case("track-writable-parent-dir", "track", true, s("wd/s.sh"), 5, List.of(INSECURE),
                List.of(unsafe(s("wd/s.sh")))));
        l.add(new Case("track-group-writable-parent-dir", "track", true, s("gd/s.sh"), 5, List.of(INSECURE),
                List.of(unsafe(s("gd/s.sh")))));
        l.add(new Case("track-parent-dir-group-writable-root", "track", true, s("grootd/s.sh"), 0, List.of(),
                List.of()));
        l.add(new Case("track-sticky-parent-dir-root", "track", true, s("sticky/s.sh"), 0, List.of(), List.of()));
        l.add(new Case("track-sticky-parent-dir-nobody", "track", true, s("stickyn/s.sh"), 5, List.of(INSECURE),
                List.of(unsafe(s("stickyn/s.sh")))));
        l.add(new Case("track-parent-dir-owned-by-nobody", "track", true, s("nd/s.sh"), 5, List.of(INSECURE),
                List.of(unsafe(s("nd/s.sh")))));
        l.add(new Case("track-owned-by-nobody-run-as-root", "track", true, s("nob.sh"), 5, List.of(INSECURE),
                List.of(unsafe(s("nob.sh")))));
        l.add(new Case("track-symlink-to-writable-target", "track", true, s("lw.sh"), 5, List.of(INSECURE),
                List.of(unsafe(s("w.sh")))));
        l.add(new Case("track-symlink-to-target-in-writable-dir", "track", true, s("lwd.sh"), 5, List.of(INSECURE),
                List.of(unsafe(s("wd/s.sh")))));
        l.add(new Case("track-symlink-in-writable-dir-to-safe-target", "track", true, s("wd/lok.sh"), 0, List.of(),
                List.of()));
        l.add(new Case("track-not-executable", "track", true, s("ne.sh"), 0, List.of(),
                List.of("WARNING - script '" + s("ne.sh") + "' is not executable for uid:gid 0:0 - disabling.")));
        l.add(new Case("track-missing", "track", true, s("missing.sh"), 5, List.of(NOT_FOUND),
                List.of("Script " + s("missing.sh") + " cannot be accessed - No such file or directory")));
        l.add(new Case("track-bare-name-on-path", "track", true, "true", 0, List.of(),
                List.of("WARNING - script `true` resolved by path search to `")));
        l.add(new Case("track-bare-name-not-on-path", "track", true, "no_such_program_jv", 5, List.of(NOT_FOUND),
                List.of("Cannot find script no_such_program_jv in path - disabling")));
        // without enable_script_security: any script is a violation (6), insecure ones are named as such
        l.add(new Case("nosec-track-ok", "track", false, s("ok.sh"), 6,
                List.of("SECURITY VIOLATION - scripts are being executed but script_security not enabled."),
                List.of()));
        l.add(new Case("nosec-track-world-writable", "track", false, s("w.sh"), 6,
                List.of("SECURITY VIOLATION - scripts are being executed but script_security not enabled. There are "
                        + "insecure scripts."), List.of("Unsafe permissions found for script '" + s("w.sh") + "'.")));
        l.add(new Case("nosec-notify-world-writable", "notify", false, s("w.sh"), 6,
                List.of("SECURITY VIOLATION - scripts are being executed but script_security not enabled. There are "
                        + "insecure scripts."), List.of()));
        l.add(new Case("nosec-misc-world-writable", "misc", false, s("w.sh"), 6,
                List.of("SECURITY VIOLATION - check scripts are being executed but script_security not enabled. "
                        + "There are insecure scripts."), List.of()));
        // notify and MISC_CHECK scripts: disabled, but keepalived -t only logs it (exit 0)
        l.add(new Case("notify-ok", "notify", true, s("ok.sh"), 0, List.of(), List.of()));
        for (String[] c : new String[][] {{"world-writable", "w.sh", "w.sh"}, {"writable-parent-dir", "wd/s.sh",
                "wd/s.sh"}, {"symlink-to-writable-target", "lw.sh", "w.sh"}, {"owned-by-nobody", "nob.sh", "nob.sh"},
                {"group-writable-other-group", "g.sh", "g.sh"}}) {
            l.add(new Case("notify-" + c[0], "notify", true, s(c[1]), 0, List.of(), List.of(unsafe(s(c[2])))));
        }
        l.add(new Case("notify-missing", "notify", true, s("missing.sh"), 0, List.of(),
                List.of("Script " + s("missing.sh") + " cannot be accessed - No such file or directory")));
        l.add(new Case("misc-ok", "misc", true, s("ok.sh"), 0, List.of(), List.of()));
        l.add(new Case("misc-world-writable", "misc", true, s("w.sh"), 0, List.of(),
                List.of(unsafe(s("w.sh")), "Disabling misc script '" + s("w.sh") + "' due to insecure")));
        return l;
    }

    static String conf(Case c) {
        StringBuilder sb = new StringBuilder("global_defs {\n");
        if (c.security) {
            sb.append("  enable_script_security\n");
        }
        sb.append("  script_user root\n}\n");
        if (c.kind.equals("track")) {
            sb.append("vrrp_script chk {\n  script \"").append(c.script).append("\"\n  interval 1\n}\n");
        }
        sb.append("vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 51\n  priority 100\n")
                .append("  virtual_ipaddress {\n    10.9.9.9/32\n  }\n");
        if (c.kind.equals("track")) {
            sb.append("  track_script {\n    chk\n  }\n");
        }
        if (c.kind.equals("notify")) {
            sb.append("  notify_master \"").append(c.script).append("\"\n");
        }
        sb.append("}\n");
        if (c.kind.equals("misc")) {
            sb.append("virtual_server 10.9.9.9 80 {\n  lb_algo rr\n  lb_kind NAT\n  protocol TCP\n")
                    .append("  real_server 10.9.9.10 80 {\n    MISC_CHECK {\n      misc_path \"").append(c.script)
                    .append("\"\n    }\n  }\n}\n");
        }
        return sb.toString();
    }

    @Test
    void javalivedCheckAndKeepalivedTAgreeOnEveryRule() throws Exception {
        List<Case> cases = cases();
        for (Case c : cases) {
            Files.writeString(c.file(), conf(c));
        }
        Map<Case, String[]> keepalived = new HashMap<>();
        for (Case c : cases) {
            keepalived.put(c, keepalivedT(c.file()));
        }
        Map<Path, String> javalived = javalivedCheck(cases.stream().map(Case::file).toList());

        List<String> problems = new ArrayList<>();
        StringBuilder table = new StringBuilder(String.format("%n%-48s %10s %10s %6s%n", "case", "keepalived",
                "javalived", "want"));
        for (Case c : cases) {
            String kExit = keepalived.get(c)[0];
            String kSaid = keepalived.get(c)[1];
            String jExit = javalived.getOrDefault(c.file(), "NOT_RUN");
            String jSaid = Files.readString(Path.of(c.file() + ".javalived.txt"));
            table.append(String.format("%-48s %10s %10s %6d%n", c.name, kExit, jExit, c.exit));
            if (!kExit.equals(String.valueOf(c.exit)) || !jExit.equals(kExit)) {
                problems.add(c.name + ": keepalived -t " + kExit + ", javalived check " + jExit + ", the rule says "
                        + c.exit + "\n  keepalived: " + kSaid + "\n  javalived: " + jSaid);
            }
            for (String line : c.bothSay) {
                if (!kSaid.contains(line) || !jSaid.contains(line)) {
                    problems.add(c.name + ": both must say '" + line + "'\n  keepalived: " + kSaid
                            + "\n  javalived: " + jSaid);
                }
            }
            for (String line : c.javalivedSays) {
                if (!jSaid.contains(line)) {
                    problems.add(c.name + ": javalived check must say '" + line + "'\n  javalived: " + jSaid);
                }
            }
            if (c.exit == 0 && c.bothSay.isEmpty() && !kSaid.isBlank()) {
                problems.add(c.name + ": keepalived -t said more than expected: " + kSaid);
            }
        }
        System.out.println(table);
        assertThat(problems).isEmpty();
    }

    /** keepalived -t -f FILE in the namespace: exit code and stderr. */
    static String[] keepalivedT(Path conf) throws Exception {
        Path pids = Files.createTempDirectory(base, "pids");
        Process p = new ProcessBuilder(ns.exec("keepalived", "-t", "-f", conf.toString(), "-p",
                pids.resolve("ka.pid").toString(), "-r", pids.resolve("vrrp.pid").toString(), "-c",
                pids.resolve("check.pid").toString(), "-b", pids.resolve("bfd.pid").toString()))
                .directory(pids.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            return new String[] {"TIMEOUT", out};
        }
        return new String[] {String.valueOf(p.exitValue()), out};
    }

    /** javalived check -f FILE for every file, in one JVM in the namespace (output in FILE.javalived.txt). */
    static Map<Path, String> javalivedCheck(List<Path> files) throws Exception {
        Path list = base.resolve("files.txt");
        Files.write(list, files.stream().map(Path::toString).collect(Collectors.toList()));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(ns.exec(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), JavalivedCheckDriver.class.getName(), list.toString(), "20"))
                .redirectError(base.resolve("driver-stderr.txt").toFile()).start();
        Map<Path, String> out = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                int t = line.lastIndexOf('\t');
                if (!line.startsWith("#") && t > 0) {
                    out.put(Path.of(line.substring(0, t)), line.substring(t + 1));
                }
            }
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        return out;
    }
}
