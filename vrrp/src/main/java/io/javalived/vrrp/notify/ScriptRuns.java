package io.javalived.vrrp.notify;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs event scripts the way keepalived does: each one is started as soon as its event happens, in its own process
 * group, and nothing waits for it, so a script that hangs delays no other (keepalived forks and returns:
 * {@code notify_exec}). Starts do not wait for each other either: keepalived's children run concurrently, in no
 * order, and a process start can take tens of milliseconds on a loaded machine, so a burst of events is started by a
 * bounded pool of starter threads rather than one after another. A script given a limit (keepalived: the notify
 * scripts of a STOP, 1 s) that still runs when the limit is up has its whole process group killed and is logged as
 * timed out. The process start, the timer and the log are injected, so the rules are testable without processes or
 * sleeps.
 */
public final class ScriptRuns implements AutoCloseable {
    /** Delays a task: the timer of the limits. */
    @FunctionalInterface
    public interface Timer {
        void after(Duration delay, Runnable task);
    }

    /** How a script ended: its exit status (128 + signal when killed) and whether it was killed at its limit. */
    public record Outcome(long pid, int status, boolean timedOut) {
    }

    /** At most this many process starts at the same time (the scripts themselves are not counted). */
    static final int STARTERS = 8;

    private final ScriptLauncher launcher;
    private final Executor starter;
    private final Timer timer;
    private final Logger log;
    private final Runnable shutdown;
    /**
     * What {@link #drain} waits for: the starts not yet done, and the scripts with a limit not yet ended (they end by
     * the limit at the latest).
     */
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();

    /**
     * @param starter runs the starts (a pool; the caller's thread in tests)
     */
    public ScriptRuns(ScriptLauncher launcher, Executor starter, Timer timer, Logger log) {
        this(launcher, starter, timer, log, () -> { });
    }

    private ScriptRuns(ScriptLauncher launcher, Executor starter, Timer timer, Logger log, Runnable shutdown) {
        this.launcher = launcher;
        this.starter = starter;
        this.timer = timer;
        this.log = log;
        this.shutdown = shutdown;
    }

    /**
     * Real processes (own session each), up to {@link #STARTERS} starter threads and a timer thread named after
     * {@code threadName}; the threads end when idle for a while, so an instance never closed costs no thread.
     */
    public static ScriptRuns processes(String threadName, Logger log) {
        ThreadPoolExecutor starter = new ThreadPoolExecutor(STARTERS, STARTERS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> daemon(r, threadName));
        starter.allowCoreThreadTimeOut(true);
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> daemon(r, threadName + "-limit"));
        timer.setKeepAliveTime(30, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        timer.setRemoveOnCancelPolicy(true);
        return new ScriptRuns(ScriptLauncher.sessions(), starter, (d, t) -> timer.schedule(t, d.toNanos(),
                TimeUnit.NANOSECONDS), log, () -> {
                    starter.shutdownNow();
                    timer.shutdownNow();
                });
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Starts {@code command} now, without waiting for it or for the scripts started before.
     *
     * @param what  how the logs name it, e.g. {@code notify_stop script /etc/keepalived/stop.sh}
     * @param limit kill its process group when it still runs after this long; empty: let it run (keepalived)
     * @return completes when the script has ended (exceptionally when it could not be started)
     */
    public CompletableFuture<Outcome> run(String what, List<String> command, Optional<Duration> limit) {
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        CompletableFuture<Void> launched = new CompletableFuture<>();
        CompletableFuture<?> awaited = limit.isPresent() ? done : launched;
        pending.add(awaited);
        awaited.whenComplete((o, e) -> pending.remove(awaited));
        try {
            starter.execute(() -> {
                try {
                    start(what, command, limit, done);
                } finally {
                    launched.complete(null);
                }
            });
        } catch (RejectedExecutionException e) {
            log.log(Level.WARNING, what + " not run: shutting down");
            done.completeExceptionally(e);
            launched.complete(null);
        }
        return done;
    }

    private void start(String what, List<String> command, Optional<Duration> limit, CompletableFuture<Outcome> done) {
        ScriptLauncher.Started s;
        try {
            s = launcher.start(command);
        } catch (IOException | RuntimeException e) {
            // keepalived: "Error exec-ing command '%s', error %d: %m"
            log.log(Level.ERROR, "Error exec-ing command '" + command.get(0) + "' (" + what + "): " + e.getMessage()
                    + " - check that it exists and is executable");
            done.completeExceptionally(e);
            return;
        }
        AtomicBoolean timedOut = new AtomicBoolean();
        limit.ifPresent(d -> timer.after(d, () -> {
            if (!s.exited().isDone()) {
                timedOut.set(true);
                // keepalived's phrasing for its timed scripts: "%s timed out" (then kill(-pgid, SIGKILL))
                log.log(Level.INFO, what + " (PID " + s.pid() + ") timed out");
                s.killGroup();
            }
        }));
        s.exited().whenComplete((status, err) -> {
            boolean killed = timedOut.get();
            if (err != null) {
                done.completeExceptionally(err);
                return;
            }
            report(what, command, status, killed);
            done.complete(new Outcome(s.pid(), status, killed));
        });
    }

    /** keepalived's lines for a script run by a shell ({@code system()}): 127 and 126; otherwise quiet. */
    private void report(String what, List<String> command, int status, boolean killed) {
        if (killed || status == 0) {
            return;
        }
        String cmd = String.join(" ", command);
        if (status == 127) {
            log.log(Level.WARNING, "Couldn't find command: " + cmd + " (" + what + ") - check the path");
        } else if (status == 126) {
            log.log(Level.WARNING, "Couldn't execute command: " + cmd + " (" + what + ") - check that it is"
                    + " executable");
        } else {
            log.log(Level.DEBUG, what + " exited with status " + status);
        }
    }

    /**
     * Waits up to {@code millis} for the starts asked for so far and for the scripts with a limit (used at shutdown
     * so that notify_stop scripts run, as keepalived waits for its timed children before it exits).
     *
     * @return true when all of them are done
     */
    public boolean drain(long millis) {
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).exceptionally(e -> null)
                    .get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    /** Stops the threads; running scripts are left running (as keepalived leaves the ones it does not wait for). */
    @Override
    public void close() {
        shutdown.run();
    }}
