package io.javalived.vrrp.track;

import io.javalived.config.model.VrrpScript;
import io.javalived.vrrp.notify.ScriptCommand;
import java.io.File;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one {@code vrrp_script} every interval (never two runs at once), kills it after its timeout (a timeout is a
 * failure) and applies rise/fall: {@code rise} consecutive successes make it good, {@code fall} consecutive failures
 * make it bad. Until the first result the script counts as good, or bad with {@code init_fail}. Listeners hear every
 * change of the good/bad status.
 */
public final class ScriptTracker implements AutoCloseable {
    private static final Logger LOG = System.getLogger("io.javalived.vrrp.track");

    private final VrrpScript script;
    private final ScheduledExecutorService timer;
    private final ExecutorService runners;
    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
    private final RiseFall riseFall;
    private volatile boolean closed;
    private ScheduledFuture<?> task;
    private volatile boolean running;

    public ScriptTracker(VrrpScript script, ScheduledExecutorService timer, ExecutorService runners) {
        this(script, timer, runners, !script.initFail());
    }

    /** A tracker starting {@code initiallyGood}: a reload's changed vrrp_script keeps its last result (keepalived). */
    public ScriptTracker(VrrpScript script, ScheduledExecutorService timer, ExecutorService runners,
                         boolean initiallyGood) {
        this.script = script;
        this.timer = timer;
        this.runners = runners;
        this.riseFall = new RiseFall(script.rise(), script.fall(), initiallyGood);
    }

    public String name() {
        return script.name();
    }

    public VrrpScript script() {
        return script;
    }

    /** Current status: true = good. */
    public boolean good() {
        return riseFall.good();
    }

    public void addListener(Consumer<Boolean> l) {
        listeners.add(l);
    }

    public synchronized void start() {
        long every = Math.max(10, script.interval().toMillis());
        task = timer.scheduleWithFixedDelay(this::tick, 0, every, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        if (closed || running) {
            return;
        }
        running = true;
        runners.execute(() -> {
            try {
                boolean ok = runOnce();
                if (closed) {
                    return;
                }
                Boolean changed = riseFall.record(ok);
                if (changed != null) {
                    LOG.log(Level.INFO, "VRRP_Script(" + script.name() + ") " + (changed ? "succeeded" : "failed"));
                    for (Consumer<Boolean> l : listeners) {
                        l.accept(changed);
                    }
                }
            } finally {
                running = false;
            }
        });
    }

    private boolean runOnce() {
        List<String> cmd = ScriptCommand.build(script.script(), script.user(), script.group(), List.of());
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(new File("/dev/null"))
                    .redirectInput(new File("/dev/null")).start();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "VRRP_Script(" + script.name() + ") cannot run '" + script.script().command()
                    + "': " + e.getMessage() + " - check the path and that it is executable");
            return false;
        }
        try {
            long limit = Math.max(10, script.timeout().toMillis());
            if (!p.waitFor(limit, TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                LOG.log(Level.WARNING, "VRRP_Script(" + script.name() + ") timed out");
                return false;
            }
            int rc = p.exitValue();
            if (rc != 0) {
                LOG.log(Level.DEBUG, "VRRP_Script(" + script.name() + ") exited with status " + rc);
            }
            return rc == 0;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (task != null) {
            task.cancel(false);
        }
    }

    /** Pure rise/fall bookkeeping. */
    public static final class RiseFall {
        private final int rise;
        private final int fall;
        private boolean good;
        private int successes;
        private int failures;

        public RiseFall(int rise, int fall, boolean initiallyGood) {
            this.rise = Math.max(1, rise);
            this.fall = Math.max(1, fall);
            this.good = initiallyGood;
        }

        public synchronized boolean good() {
            return good;
        }

        /** Records one result; returns the new status when it changed, else null. */
        public synchronized Boolean record(boolean ok) {
            if (ok) {
                successes++;
                failures = 0;
                if (!good && successes >= rise) {
                    good = true;
                    return Boolean.TRUE;
                }
            } else {
                failures++;
                successes = 0;
                if (good && failures >= fall) {
                    good = false;
                    return Boolean.FALSE;
                }
            }
            return null;
        }
    }
}
