package io.javalived.vrrp.notify;

import io.javalived.config.model.GlobalDefs;
import io.javalived.netlink.ffi.NativeException;
import io.javalived.netlink.ffi.NotifyFifoFile;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The notify FIFOs of keepalived 2.2.7 (lib/notify.c): notify_fifo gets every line, vrrp_notify_fifo the VRRP lines
 * (INSTANCE, GROUP), lvs_notify_fifo the checker lines (VS, RS). Each FIFO is created when missing (mode 0600 as keepalived's 0644 under its umask 0177,
 * chowned to its user/group, removed at close), its script (if any) is started with the FIFO's path as last argument
 * before the FIFO is opened, and the FIFO is opened read-write non-blocking: a write never waits (with no reader or a
 * full FIFO a line is lost, as in keepalived). Lines are written under one lock, in the order the events happen.
 * keepalived runs two processes and so starts notify_fifo's script twice when both VRRP and checkers run; javalived
 * is one process and starts it once.
 */
public final class NotifyFifos implements AutoCloseable {
    private static final Logger LOG = System.getLogger("io.javalived.notify");
    /** Nothing configured: writes go nowhere. */
    public static final NotifyFifos NONE = new NotifyFifos();

    private final List<NotifyFifoFile> vrrpTargets = new ArrayList<>();
    private final List<NotifyFifoFile> lvsTargets = new ArrayList<>();
    private final List<NotifyFifoFile> opened = new ArrayList<>();
    private final List<ScriptLauncher.Started> scripts = new ArrayList<>();

    private NotifyFifos() {
    }

    /** Opens the configured FIFOs (a FIFO that cannot be made is logged as keepalived logs it, and skipped). */
    public static NotifyFifos open(GlobalDefs.NotifyFifos config, ScriptLauncher launcher) {
        NotifyFifos f = new NotifyFifos();
        Map<String, NotifyFifoFile> byPath = new LinkedHashMap<>();
        NotifyFifoFile g = f.openOne(config.global(), "", "", launcher, byPath);
        NotifyFifoFile v = f.openOne(config.vrrp(), "vrrp_", "vrrp ", launcher, byPath);
        NotifyFifoFile l = f.openOne(config.lvs(), "lvs_", "lvs ", launcher, byPath);
        if (g != null) {
            f.vrrpTargets.add(g);
            f.lvsTargets.add(g);
        }
        if (v != null && v != g) {
            f.vrrpTargets.add(v);
        }
        if (l != null && l != g) {
            f.lvsTargets.add(l);
        }
        return f;
    }

    private NotifyFifoFile openOne(Optional<GlobalDefs.NotifyFifo> cfg, String type, String exitWord,
                                   ScriptLauncher launcher, Map<String, NotifyFifoFile> byPath) {
        if (cfg.isEmpty()) {
            return null;
        }
        GlobalDefs.NotifyFifo c = cfg.get();
        NotifyFifoFile known = byPath.get(c.path());
        if (known != null) { // the vrrp and lvs FIFOs share a path: one FIFO in one process
            if (c.script().isPresent()) {
                startScript(c, exitWord, launcher);
            }
            return known;
        }
        try {
            NotifyFifoFile file = NotifyFifoFile.open(Path.of(c.path()), id(c.user(), "-u"), id(c.group(), "-g"),
                    () -> c.script().ifPresent(s -> startScript(c, exitWord, launcher)));
            opened.add(file);
            byPath.put(c.path(), file);
            return file;
        } catch (NativeException e) {
            String what = e.getMessage().startsWith("mkfifo") ? "Unable to create " : "Unable to open ";
            LOG.log(Level.INFO, what + type + "notify fifo " + c.path() + " - " + e.getMessage());
            return null;
        }
    }

    private void startScript(GlobalDefs.NotifyFifo c, String exitWord, ScriptLauncher launcher) {
        List<String> cmd = ScriptCommand.build(c.script().get(), Optional.empty(), Optional.empty(),
                List.of(c.path()));
        try {
            ScriptLauncher.Started s = launcher.start(cmd);
            scripts.add(s);
            s.exited().thenRun(() -> LOG.log(Level.INFO, exitWord + "notify fifo script terminated"));
        } catch (java.io.IOException e) {
            LOG.log(Level.ERROR, "cannot start notify fifo script " + c.script().get().command() + " for "
                    + c.path() + ": " + e.getMessage() + "; check that it exists and is executable");
        }
    }

    /** A user or group name (or number) as a numeric id via id(1); -1 (leave as is) when not set or unknown. */
    private static int id(Optional<String> name, String flag) {
        if (name.isEmpty()) {
            return -1;
        }
        if (name.get().matches("\\d+")) {
            return Integer.parseInt(name.get());
        }
        try {
            Process p = new ProcessBuilder(flag.equals("-u") ? List.of("id", "-u", name.get())
                    : List.of("getent", "group", name.get())).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                return -1;
            }
            return Integer.parseInt(flag.equals("-u") ? out : out.split(":")[2]);
        } catch (Exception e) {
            return -1;
        }
    }

    /** Whether any FIFO gets VRRP lines. */
    public boolean wantsVrrp() {
        return !vrrpTargets.isEmpty();
    }

    /** Whether any FIFO gets checker lines. */
    public boolean wantsLvs() {
        return !lvsTargets.isEmpty();
    }

    /** An INSTANCE or GROUP line: to notify_fifo and vrrp_notify_fifo. */
    public void vrrp(String line) {
        write(vrrpTargets, line);
    }

    /** A VS or RS line: to notify_fifo and lvs_notify_fifo. */
    public void lvs(String line) {
        write(lvsTargets, line);
    }

    private synchronized void write(List<NotifyFifoFile> targets, String line) {
        if (targets.isEmpty()) {
            return;
        }
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        for (NotifyFifoFile f : targets) {
            f.write(b);
        }
    }

    /**
     * SIGTERM to the FIFOs' scripts: keepalived ends every script it started at the start of its stop sequence, so the
     * STOP lines that follow are written to the FIFOs but no longer read by their scripts (another reader gets them).
     */
    public synchronized void endScripts() {
        for (ScriptLauncher.Started s : scripts) {
            if (!s.exited().isDone()) {
                ScriptLauncher.Running.signalGroup("TERM", s.pid());
            }
        }
    }

    /** Removes the FIFOs this run created, closes them, and ends their scripts (keepalived's scripts get SIGTERM). */
    @Override
    public synchronized void close() {
        for (NotifyFifoFile f : opened) {
            f.close();
        }
        endScripts();
        vrrpTargets.clear();
        lvsTargets.clear();
    }
}
