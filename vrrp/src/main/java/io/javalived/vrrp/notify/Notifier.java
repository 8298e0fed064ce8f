package io.javalived.vrrp.notify;

import io.javalived.config.model.NotifyScript;
import java.io.File;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs notify scripts in the background, in the order they were asked for (one queue per daemon so a MASTER
 * notification never overtakes the BACKUP one before it). notify_master/backup/fault/stop are run as written; the
 * generic {@code notify} script gets keepalived's four arguments: {@code INSTANCE|GROUP NAME STATE PRIORITY}.
 */
public final class Notifier implements AutoCloseable {
    private static final Logger LOG = System.getLogger("io.javalived.vrrp.notify");
    /** A notify script is killed after this long (keepalived does not wait for them either). */
    private static final long SCRIPT_LIMIT_SECONDS = 30;

    private final ExecutorService queue = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vrrp-notify");
        t.setDaemon(true);
        return t;
    });

    /** What was notified, for tests and the metrics endpoint: "INSTANCE VI_1 MASTER 150". */
    public enum Kind { INSTANCE, GROUP }

    /**
     * Queue the notifications of a state change: the state-specific script (if any), then {@code notify} with
     * the four arguments.
     */
    public void stateChanged(Kind kind, String name, String state, int priority, Optional<NotifyScript> specific,
                             Optional<NotifyScript> any) {
        specific.ifPresent(s -> submit(s, List.of(), kind, name, state));
        any.ifPresent(s -> submit(s, List.of(kind.name(), name, state, Integer.toString(priority)), kind, name, state));
    }

    private void submit(NotifyScript script, List<String> args, Kind kind, String name, String state) {
        queue.execute(() -> run(script, args, kind, name, state));
    }

    private static void run(NotifyScript script, List<String> args, Kind kind, String name, String state) {
        List<String> cmd = ScriptCommand.build(script, Optional.empty(), Optional.empty(), args);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(new File("/dev/null"))
                    .redirectInput(new File("/dev/null")).start();
            if (!p.waitFor(SCRIPT_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                LOG.log(Level.WARNING, "Notify script " + script.command() + " for " + label(kind) + "(" + name
                        + ") " + state + " did not finish in " + SCRIPT_LIMIT_SECONDS + "s - killed");
            } else if (p.exitValue() != 0) {
                LOG.log(Level.INFO, "Script " + script.command() + " for " + label(kind) + "(" + name + ") "
                        + state + " exited with status " + p.exitValue());
            }
        } catch (IOException e) {
            LOG.log(Level.ERROR, "Cannot run notify script '" + script.command() + "' for " + label(kind) + "("
                    + name + "): " + e.getMessage() + " - check the path and that it is executable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String label(Kind kind) {
        return kind == Kind.INSTANCE ? "VRRP_Instance" : "VRRP_Group";
    }

    /** Waits up to {@code millis} for queued notifications (used at shutdown so notify_stop runs). */
    public void drain(long millis) {
        queue.shutdown();
        try {
            queue.awaitTermination(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        queue.shutdownNow();
    }

    static List<String> copy(List<String> l) {
        return new ArrayList<>(l);
    }
}
