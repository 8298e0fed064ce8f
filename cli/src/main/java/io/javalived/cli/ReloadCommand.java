package io.javalived.cli;

import io.javalived.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code javalived reload}: sends SIGHUP to the running {@code javalived run} named by its pid file (what
 * {@code systemctl reload} does with {@code ExecReload=/bin/kill -HUP $MAINPID}). With {@code -f FILE} the
 * configuration is read first and a broken one is not signalled.
 */
@Command(name = "reload", mixinStandardHelpOptions = true, description = {
        "Make a running 'javalived run' re-read its configuration (SIGHUP to the pid in its pid file).",
        "The daemon applies a good configuration as a diff and keeps the running one if the new one has errors "
                + "(its log says why). With -f FILE the file is checked here first and nothing is signalled if it "
                + "has errors."})
public final class ReloadCommand implements Callable<Integer> {
    @Option(names = {"-p", "--pid"}, paramLabel = "FILE", description = "pid file of the daemon, as given to "
            + "'javalived run -p' (default: ${DEFAULT-VALUE})",
            defaultValue = RunCommand.DEFAULT_PID_FILE)
    Path pidFile;

    @Option(names = {"-f", "--use-file"}, paramLabel = "FILE", description = "check this configuration first")
    Path file;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (file != null) {
            try {
                ConfigLoader.load(file);
            } catch (ConfigException e) {
                System.err.println("javalived reload: not reloading, the configuration has errors: "
                        + e.getMessage());
                return 1;
            }
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (NoSuchFileException e) {
            System.err.println("javalived reload: " + pidFile + " does not exist - is 'javalived run' running? (give "
                    + "its pid file with -p FILE)");
            return 1;
        } catch (NumberFormatException e) {
            System.err.println("javalived reload: " + pidFile + " does not hold a process id - give the pid file of "
                    + "'javalived run' with -p FILE");
            return 1;
        }
        Optional<ProcessHandle> ph = ProcessHandle.of(pid);
        if (ph.isEmpty() || !ph.get().isAlive()) {
            System.err.println("javalived reload: process " + pid + " from " + pidFile + " is not running - start "
                    + "the daemon with 'javalived run'");
            return 1;
        }
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(pid)).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            System.err.println("javalived reload: cannot signal process " + pid + " (run as the daemon's user or "
                    + "root)");
            return 1;
        }
        System.out.println("javalived reload: SIGHUP sent to " + pid + " - its log shows 'Reload done' or why the "
                + "configuration was rejected");
        return 0;
    }
}
