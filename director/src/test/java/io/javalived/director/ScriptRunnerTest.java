package io.javalived.director;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.config.model.NotifyScript;
import io.javalived.vrrp.notify.ScriptRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ScriptRunner.Processes} with real scripts: a notify_down that hangs holds back no later notify_up or
 * quorum script (keepalived's notify_exec forks and goes on). Each script writes its PID, process group and when its
 * process was created (/proc/PID/stat starttime, 10 ms ticks since boot) to a file.
 */
class ScriptRunnerTest {
    private static final long BOUND_TICKS = 10; // 100 ms
    private static final int ATTEMPTS = 3;

    @TempDir
    Path dir;
    final List<Long> pids = new ArrayList<>();

    @AfterEach
    void killScripts() {
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            });
        }
    }

    private Path script(String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/bash\nread -r st < /proc/$$/stat; f=(${st##*) })\necho \"$1 $$ ${f[2]} ${f[19]}\" >> "
                + dir.resolve("stamps") + "\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private static DirectorAction.RunScript run(String kind, Path script, String tag, String subject) {
        return new DirectorAction.RunScript(kind, new NotifyScript(script + " " + tag, List.of(script.toString(), tag),
                Optional.empty(), Optional.empty()), subject);
    }

    private static long uptimeTicks() throws IOException {
        return Math.round(Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]) * 100);
    }

    @Test
    void aHangingNotifyDownHoldsBackNoLaterScript() throws Exception {
        Path hang = script("hang.sh", "exec sleep 60\n");
        Path quick = script("quick.sh", "");
        ScriptRunner.Processes runner = new ScriptRunner.Processes(ScriptRuns.processes("test-director-scripts",
                System.getLogger("test")));
        runner.run(run("notify_up", quick, "warmup", "warm-up")); // first process start of the JVM: not measured
        awaitLines(1);
        List<String> figures = new ArrayList<>();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Files.deleteIfExists(dir.resolve("stamps"));
            runner.run(run("notify_down", hang, "down", "[10.0.0.2]:tcp:80 VS [10.0.0.100]:tcp:80"));
            Thread.sleep(50);
            long event = uptimeTicks();
            runner.run(run("notify_up", quick, "up", "[10.0.0.3]:tcp:80 VS [10.0.0.100]:tcp:80"));
            runner.run(run("quorum_down", quick, "quorum", "[10.0.0.100]:tcp:80"));
            List<String[]> lines = awaitLines(3);
            lines.forEach(l -> pids.add(Long.parseLong(l[1])));
            String[] down = lines.stream().filter(l -> l[0].equals("down")).findFirst().orElseThrow();
            assertThat(ProcessHandle.of(Long.parseLong(down[1])).map(ProcessHandle::isAlive)).as("notify_down hangs")
                    .contains(true);
            assertThat(lines).as("each script in its own process group").allMatch(l -> l[1].equals(l[2]));
            long worst = lines.stream().filter(l -> !l[0].equals("down")).mapToLong(l -> Long.parseLong(l[3]) - event)
                    .max().orElseThrow();
            figures.add("attempt " + attempt + ": later scripts' processes created within " + worst * 10 + " ms");
            System.out.println("director scripts behind a hanging notify_down, " + figures.get(figures.size() - 1));
            if (worst <= BOUND_TICKS) {
                return;
            }
        }
        assertThat(figures).as("more than 100 ms in every attempt").isEmpty();
    }

    private List<String[]> awaitLines(int n) throws Exception {
        Path f = dir.resolve("stamps");
        for (int i = 0; i < 1000; i++) {
            if (Files.exists(f)) {
                List<String[]> lines = Files.readAllLines(f).stream().filter(l -> !l.isBlank())
                        .map(l -> l.split(" ")).toList();
                if (lines.size() >= n) {
                    return lines;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("only some of the " + n + " scripts ran within 10 s");
    }
}
