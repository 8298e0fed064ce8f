package io.javalived.vrrp.track;

import io.javalived.config.model.TrackProcess;
import io.javalived.netlink.ffi.NativeException;
import io.javalived.netlink.proc.ProcessConnector;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The vrrp_track_process trackers of a daemon over {@link ProcessTable}: a /proc scan at start, then the kernel's
 * process connector (exec, comm, fork, exit), as keepalived does; when the connector cannot be opened (no
 * CONFIG_PROC_EVENTS, no right to reach the initial network namespace) /proc is scanned every second instead, and
 * when events were lost (ENOBUFS) /proc is scanned again. Logs keepalived's "Quorum gained/lost for tracked process".
 */
public final class ProcessTracker implements AutoCloseable {
    private static final Logger LOG = System.getLogger("io.javalived.vrrp");
    static final long POLL_MILLIS = 1000;

    private final ProcessTable table;
    private final List<String> names;
    private final ScheduledExecutorService timer;
    private final Map<String, ScheduledFuture<?>> timers = new HashMap<>();
    private final List<BiConsumer<String, Boolean>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Boolean> upNow = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile ProcessConnector connector;
    private Thread reader;
    private ScheduledFuture<?> poll;

    public ProcessTracker(Collection<TrackProcess> defs, ScheduledExecutorService timer) {
        this.table = new ProcessTable(new ArrayList<>(defs));
        this.names = defs.stream().map(TrackProcess::name).toList();
        this.timer = timer;
    }

    /** Told (tracker name, now up) at every quorum change. */
    public void addListener(BiConsumer<String, Boolean> l) {
        listeners.add(l);
    }

    /** Whether the tracker has quorum (lock-free: read by the instances' trackers from any thread). */
    public boolean up(String name) {
        return upNow.getOrDefault(name, false);
    }

    public synchronized int count(String name) {
        return table.count(name);
    }

    /** Subscribes to process events, then scans /proc (so no process started in between is missed). */
    public synchronized void start() {
        try {
            connector = ProcessConnector.open();
        } catch (NativeException e) {
            LOG.log(Level.WARNING, "track_process: the kernel's process connector is not available (" + e.getMessage()
                    + ") - scanning /proc every " + POLL_MILLIS + " ms instead");
        }
        table.scan(readProcs().values());
        for (String n : names) {
            upNow.put(n, table.up(n));
            LOG.log(Level.INFO, "VRRP_Track_Process(" + n + ") " + table.count(n) + " matching process(es) at start: "
                    + (table.up(n) ? "quorum" : "no quorum"));
        }
        if (connector != null) {
            reader = new Thread(this::readEvents, "vrrp-track-process");
            reader.setDaemon(true);
            reader.start();
        } else {
            poll = timer.scheduleWithFixedDelay(this::rescan, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void readEvents() {
        while (!closed) {
            List<ProcessConnector.Event> events;
            try {
                events = connector.receive(500);
            } catch (NativeException e) {
                if (closed) {
                    return;
                }
                LOG.log(Level.INFO, "track_process: process events lost (" + e.getMessage() + ") - rescanning /proc");
                rescan();
                continue;
            }
            for (ProcessConnector.Event ev : events) {
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    ProcessTable.Outcome o;
                    if (ev instanceof ProcessConnector.Event.Fork f) {
                        o = table.fork(f.parent(), f.child());
                    } else if (ev instanceof ProcessConnector.Event.Exec x) {
                        ProcessTable.Proc p = readProc(x.pid());
                        o = p == null ? table.exit(x.pid()) : table.exec(p);
                    } else if (ev instanceof ProcessConnector.Event.Comm c) {
                        o = table.comm(c.pid(), c.comm());
                    } else {
                        o = table.exit(((ProcessConnector.Event.Exit) ev).pid());
                    }
                    apply(o);
                }
            }
        }
    }

    private synchronized void rescan() {
        if (!closed) {
            apply(table.rescan(readProcs()));
        }
    }

    private void apply(ProcessTable.Outcome o) {
        for (String name : o.cancel()) {
            ScheduledFuture<?> f = timers.remove(name);
            if (f != null) {
                f.cancel(false);
            }
        }
        for (ProcessTable.Timer t : o.start()) {
            ScheduledFuture<?> old = timers.put(t.name(), timer.schedule(() -> {
                synchronized (this) {
                    timers.remove(t.name());
                    if (!closed) {
                        apply(table.timerFired(t.name()));
                    }
                }
            }, t.delay().toNanos(), TimeUnit.NANOSECONDS));
            if (old != null) {
                old.cancel(false);
            }
        }
        for (ProcessTable.Change c : o.changes()) {
            LOG.log(Level.INFO, "Quorum " + (c.up() ? "gained" : "lost") + " for tracked process " + c.name());
            upNow.put(c.name(), c.up());
            for (BiConsumer<String, Boolean> l : listeners) {
                l.accept(c.name(), c.up());
            }
        }
    }

    /** Every process of /proc with its comm, command line and zombie flag. */
    Map<Integer, ProcessTable.Proc> readProcs() {
        Map<Integer, ProcessTable.Proc> out = new LinkedHashMap<>();
        try (DirectoryStream<Path> d = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : d) {
                int pid;
                try {
                    pid = Integer.parseInt(p.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                ProcessTable.Proc proc = readProc(pid);
                if (proc != null) {
                    out.put(pid, proc);
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "track_process: cannot read /proc: " + e.getMessage());
        }
        return out;
    }

    /** One process from /proc/PID/stat and cmdline; null when it is gone. */
    static ProcessTable.Proc readProc(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"), StandardCharsets.UTF_8);
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            if (open < 0 || close < open) {
                return null;
            }
            String comm = stat.substring(open + 1, close);
            boolean zombie = close + 2 < stat.length() && stat.charAt(close + 2) == 'Z';
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "cmdline"));
            return new ProcessTable.Proc(pid, comm, cmdline, zombie);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (poll != null) {
            poll.cancel(false);
        }
        timers.values().forEach(f -> f.cancel(false));
        timers.clear();
        ProcessConnector c = connector;
        if (c != null) {
            c.close();
        }
    }
}
