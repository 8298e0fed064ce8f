package io.javalived.vrrp.notify;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts a script as a process of its own process group, as keepalived does ({@code setpgid(0, 0)} in the child
 * after the fork), so that a script that has to be killed is killed with everything it started. The only I/O seam of
 * {@link ScriptRuns}; tests give it a fake.
 */
public interface ScriptLauncher {
    /** Starts {@code command}; returns once the process exists (the script may not have done anything yet). */
    Started start(List<String> command) throws IOException;

    /** A started script. */
    interface Started {
        /** The script's process id, which is also its process group id. */
        long pid();

        /** Completes with the exit status (128 + signal number when killed by a signal) when the script ends. */
        CompletableFuture<Integer> exited();

        /** SIGKILL to the script's whole process group (keepalived's {@code kill(-pgid, SIGKILL)}). */
        void killGroup();
    }

    /** The real one: each script in a new session (util-linux {@code setsid}), stdin/stdout/stderr on /dev/null. */
    static ScriptLauncher sessions() {
        return Sessions.INSTANCE;
    }

    /** Processes started through {@code setsid}: the JVM's child is no group leader, so setsid execs in place. */
    final class Sessions implements ScriptLauncher {
        static final Sessions INSTANCE = new Sessions();
        private static final File DEV_NULL = new File("/dev/null");
        private static final Optional<String> SETSID = Stream.of("/usr/bin/setsid", "/bin/setsid")
                .filter(p -> Files.isExecutable(Path.of(p))).findFirst();

        private Sessions() {
        }

        @Override
        public Started start(List<String> command) throws IOException {
            List<String> cmd = new ArrayList<>();
            // --wait: should setsid ever have to fork (caller already a group leader), it still reports the
            // script's exit status rather than its own.
            SETSID.ifPresent(s -> cmd.addAll(List.of(s, "--wait")));
            cmd.addAll(command);
            Process p = new ProcessBuilder(cmd).redirectInput(DEV_NULL).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            return new Running(p, SETSID.isPresent());
        }
    }

    /** A process started by {@link Sessions}. */
    final class Running implements Started {
        private final Process process;
        private final boolean ownGroup;
        private final CompletableFuture<Integer> exited;

        Running(Process process, boolean ownGroup) {
            this.process = process;
            this.ownGroup = ownGroup;
            this.exited = process.onExit().thenApply(Process::exitValue);
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public CompletableFuture<Integer> exited() {
            return exited;
        }

        @Override
        public void killGroup() {
            if (!ownGroup || !signalGroup("KILL", process.pid())) {
                // No group of its own (no setsid on this system, or setsid had not run yet): what can be reached.
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }

        /** kill(2) on the group {@code -pgid} through the shell's kill builtin (procps may not be installed). */
        static boolean signalGroup(String signal, long pgid) {
            try {
                Process k = new ProcessBuilder("/bin/sh", "-c", "kill -s " + signal + " -- -\"$1\"", "sh",
                        Long.toString(pgid)).redirectInput(Sessions.DEV_NULL).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                if (!k.waitFor(5, TimeUnit.SECONDS)) {
                    k.destroyForcibly();
                    return false;
                }
                return k.exitValue() == 0;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
