package io.javalived.cli;

import io.javalived.daemon.KeepalivedDump;
import io.javalived.daemon.DaemonSignals;
import io.javalived.director.VrrpUnits;
import io.javalived.checkers.CheckScheduler;
import io.javalived.director.Director;
import io.javalived.director.ScriptRunner;
import io.javalived.config.ConfigException;
import io.javalived.config.ConfigResult;
import io.javalived.config.ConfigWarning;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.ipvs.IpvsClient;
import io.javalived.netlink.NetlinkException;
import io.javalived.vrrp.runtime.VrrpStartException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code javalived run -f FILE}: the daemon. VRRP instances, health checkers and the IPVS director of one
 * configuration in one foreground process (systemd Type=simple), until SIGTERM/SIGINT; SIGHUP reloads.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = {
        "Run the director of a keepalived.conf in the foreground: VRRP instances, health checkers and IPVS virtual "
                + "servers (keepalived + LVS).",
        "",
        "Signals: SIGTERM/SIGINT stop (VRRP masters send priority 0 and remove their VIPs, then the virtual servers "
                + "javalived owns are removed - all of IPVS with lvs_flush_on_stop - unless --dont-release-ipvs). "
                + "SIGHUP reloads the configuration: a configuration with errors is rejected and the running one "
                + "kept (the log says why, with file:line); a good one is applied as a diff (unchanged real servers "
                + "keep their health state and IPVS entries, unchanged VRRP instances and sync groups keep their "
                + "state; changed ones are restarted). 'javalived reload' sends the SIGHUP (pid file of --pid).",
        "SIGUSR1, SIGUSR2 and SIGRTMIN+2 write keepalived.data, keepalived.stats and keepalived.json (keepalived's "
                + "layouts, VRRP instances) to --tmp-dir; SIGRTMAX-1 writes keepalived.stats and clears the counters "
                + "it shows. Every other signal keepalived ignores is ignored.",
        "",
        "ha_suspend: virtual servers with ha_suspend are suspended while no VRRP instance of this process is MASTER.",
        "",
        "Without IPVS in the kernel (ip_vs module not loaded) and virtual servers configured, javalived refuses to "
                + "start (exit 1) rather than hold VIPs it cannot forward: load ip_vs, or run with --vrrp-only to "
                + "run only the VRRP instances.",
        ""})
public final class RunCommand implements Callable<Integer> {
    private static final System.Logger LOG = System.getLogger("io.javalived.cli");
    static final String DEFAULT_PID_FILE = "/run/javalived.pid";

    @Option(names = {"-f", "--use-file"}, paramLabel = "FILE", description = "keepalived.conf to run "
            + "(default: ${DEFAULT-VALUE})", defaultValue = "/etc/keepalived/keepalived.conf")
    Path file;

    @Option(names = {"-P", "--vrrp-only", "--vrrp"}, description = "Only run the VRRP instances (keepalived -P).")
    boolean vrrpOnly;

    @Option(names = {"-C", "--check-only", "--check"}, description = "Only run the health checkers and the IPVS "
            + "virtual servers (keepalived -C).")
    boolean checkOnly;

    @Option(names = {"-I", "--dont-release-ipvs"}, description = "Leave the IPVS virtual servers in place on stop "
            + "(a restart then neither drops connections nor removes a healthy server).")
    boolean dontReleaseIpvs;

    @Option(names = "--clean-start", description = "Start as keepalived does: remove this node's VIPs found on the "
            + "interfaces and start BACKUP (taking them again master_down later if no master is heard), and put every "
            + "real server that is not alpha in the pool. Without it, a restarted node keeps the VIPs it finds while "
            + "it listens for a master for master_down, and a real server missing from the IPVS table of its service "
            + "stays out until its checkers pass.")
    boolean cleanStart;

    @Option(names = {"-n", "--dont-fork", "-l", "--log-console", "-D", "--log-detail"}, hidden = true,
            description = "Accepted for keepalived compatibility: javalived always runs in the foreground and logs "
                    + "to stderr.")
    boolean compat;

    @Option(names = {"-p", "--pid"}, paramLabel = "FILE", description = "Write the process id to FILE, for "
            + "'javalived reload' (default: ${DEFAULT-VALUE}; removed on stop).", defaultValue = DEFAULT_PID_FILE)
    Path pidFile;

    @Option(names = "--ipvs-dry-run", description = "Do not program the kernel's IPVS table: compute it in memory "
            + "(checkers, quorum and sorry servers work as usual) and show it with 'javalived status'. For trying a "
            + "configuration on a host without IPVS.")
    boolean ipvsDryRun;

    @Option(names = "--metrics", paramLabel = "ADDR:PORT", description = "Serve Prometheus metrics on "
            + "http://ADDR:PORT/metrics (default: ${DEFAULT-VALUE}; [::1]:PORT for IPv6).",
            defaultValue = "127.0.0.1:9650")
    String metricsAddress;

    @Option(names = "--no-metrics", description = "Do not serve /metrics.")
    boolean noMetrics;

    @Option(names = {"-S", "--control-socket"}, paramLabel = "PATH", description = "The unix socket 'javalived "
            + "status' reads (mode 0600, root only; default: the pid file's path with .sock, "
            + "/run/javalived.sock).")
    Path controlSocket;

    static final Path DEFAULT_STATE_FILE = Path.of("/var/lib/javalived/overrides");

    @Option(names = "--state-file", paramLabel = "FILE", description = "Where the operator overrides (javalived "
            + "drain, disable, weight) are kept across restarts (default: /var/lib/javalived/overrides; written "
            + "atomically; under --ipvs-dry-run: in memory only unless given, so that a trial run never touches the "
            + "real daemon's overrides).")
    Path stateFile;

    @Option(names = "--tmp-dir", paramLabel = "DIR", description = "Where SIGUSR1, SIGUSR2 and SIGRTMIN+2 write "
            + "keepalived.data, keepalived.stats and keepalived.json (default: $TMPDIR if absolute, else /tmp, as "
            + "keepalived).")
    Path tmpDir;

    private volatile KeepalivedConfig running;
    private volatile java.time.Instant startedAt = java.time.Instant.now();
    private volatile java.time.Instant loadedAt;
    private volatile io.javalived.director.DryRunKernel dryRun;
    private final java.util.List<AutoCloseable> endpoints = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Director director;
    /** notify_fifo, vrrp_notify_fifo, lvs_notify_fifo: opened at start, kept across reloads, closed at the end. */
    private volatile io.javalived.vrrp.notify.NotifyFifos notifyFifos = io.javalived.vrrp.notify.NotifyFifos.NONE;
    /** smtp_alert: mails sent in the background (a hanging server delays nothing). */
    private volatile io.javalived.vrrp.notify.SmtpAlerter smtp = io.javalived.vrrp.notify.SmtpAlerter.NONE;

    /** The host name keepalived uses for router_id, smtp_helo_name and the sender (uname's nodename). */
    static String localName() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
    private volatile IpvsClient ipvs;
    /** lvs_sync_daemon: its own IPVS socket (the VRRP side drives it, with or without virtual servers). */
    private io.javalived.director.IpvsSyncd syncd;
    private IpvsClient syncdIpvs;
    private volatile CheckScheduler checks;
    private volatile VrrpUnits vrrp;
    private volatile boolean masterNow;
    private volatile boolean stopping;

    @Override
    public Integer call() throws Exception {
        RunLogging.install();
        if (vrrpOnly && checkOnly) {
            System.err.println("javalived run: --vrrp-only and --check-only exclude each other - give at most one");
            return Main.EXIT_USAGE;
        }
        if (!Files.isReadable(file)) {
            System.err.println("javalived run: cannot read " + file + " - give the configuration with -f FILE");
            return 1;
        }
        KeepalivedConfig config;
        try {
            config = load();
        } catch (ConfigException e) {
            System.err.println("javalived run: " + e.getMessage());
            return 1;
        }
        String other = alreadyRunning();
        if (other != null) {
            System.err.println("javalived run: " + other);
            return 1;
        }
        running = config;
        loadedAt = java.time.Instant.now();
        // inherited ignored (nohup, a background job): keepalived reloads and stops on these anyway
        DaemonSignals.takeBackIgnored(DaemonSignals.SIGHUP, DaemonSignals.SIGINT, DaemonSignals.SIGTERM);
        installReload(); // early: a SIGHUP during start-up must not kill the daemon (the JVM's default)
        installDumps(); // and no other signal of keepalived's set either
        long pid = ProcessHandle.current().pid();
        LOG.log(Level.INFO, "Starting javalived " + new Main.Version().getVersion()[0].substring(10) + ", pid=" + pid
                + ", config " + file + (vrrpOnly ? ", VRRP only" : checkOnly ? ", checkers only" : ""));
        writePid(pid);
        boolean wantDirector = !vrrpOnly && !config.virtualServers().isEmpty();
        boolean wantVrrp = !checkOnly && !config.vrrpInstances().isEmpty();
        if (!wantDirector && !wantVrrp) {
            LOG.log(Level.WARNING, "Nothing to run in " + file + ": no " + (vrrpOnly ? "vrrp_instance"
                    : checkOnly ? "virtual_server" : "vrrp_instance or virtual_server") + " block - running idle "
                    + "until stopped or reloaded");
        }
        notifyFifos = io.javalived.vrrp.notify.NotifyFifos.open(config.globalDefs().notifyFifos(),
                io.javalived.vrrp.notify.ScriptLauncher.sessions());
        smtp = io.javalived.vrrp.notify.SmtpAlerter.create(config.globalDefs(), RunCommand::localName);
        // the director first: refuse to take VIPs this node cannot forward
        if (wantDirector) {
            String err = startDirector(config);
            if (err != null) {
                LOG.log(Level.ERROR, err);
                closeDirector();
                notifyFifos.close();
                removePid();
                return 1;
            }
        }
        startEndpoints();
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            LOG.log(Level.INFO, "Stopping");
            closeEndpoints();
            stopAll();
            removePid();
            LOG.log(Level.INFO, "Stopped javalived");
            done.countDown();
        }, "javalived-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        startSyncd(config, wantVrrp);
        if (!checkOnly) {
            vrrp = new VrrpUnits(this::onVrrpMaster, !cleanStart);
            vrrp.onStateChange(this::onVrrpState);
            vrrp.notifyFifos(notifyFifos);
            vrrp.smtpAlerter(smtp);
            if (director != null) {
                director.setHaSuspended(wantVrrp); // ha_suspend: suspended until an instance is MASTER
            }
            try {
                vrrp.start(config);
            } catch (VrrpStartException e) {
                LOG.log(Level.ERROR, e.getMessage());
                return 1; // the shutdown hook removes the virtual servers
            }
        }
        started.countDown();
        LOG.log(Level.INFO, "javalived running: " + (vrrp == null ? 0 : vrrp.size()) + " VRRP instance(s), "
                + (director == null ? 0 : config.virtualServers().size()) + " virtual server(s)");
        done.await();
        return 0;
    }

    /**
     * The "already running" check: another javalived answering on this daemon's control socket (same -p / -S) owns
     * the pid file and the VIPs; returns what to say, or null.
     */
    private String alreadyRunning() {
        try {
            io.javalived.daemon.ControlServer.ensureNotRunning(controlSocketPath());
            return null;
        } catch (java.io.IOException e) {
            return e.getMessage().startsWith("another javalived") ? e.getMessage() : null; // else: logged later
        }
    }

    private void writePid(long pid) {
        try {
            Files.writeString(pidFile, pid + "\n");
        } catch (java.io.IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Cannot write the pid file " + pidFile + " (" + e.getMessage() + "): 'javalived "
                    + "reload' will need --pid; give a writable path with --pid FILE");
        }
    }

    private void removePid() {
        try {
            if (Files.readString(pidFile).trim().equals(Long.toString(ProcessHandle.current().pid()))) {
                Files.delete(pidFile);
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not ours or already gone
        }
    }

    private KeepalivedConfig load() throws ConfigException {
        ConfigResult r = ConfigLoader.load(file);
        for (ConfigWarning w : r.warnings()) {
            LOG.log(Level.WARNING, w.toString());
        }
        io.javalived.config.KeywordCatalog.notActedUpon(r.warnings()).ifPresent(l -> LOG.log(Level.WARNING, l));
        // keepalived's script security, at start and at every reload: disabled scripts are not in what runs
        io.javalived.config.ScriptSecurity.Review scripts = io.javalived.config.ScriptSecurity.review(r.config(),
                new io.javalived.config.SystemHost().scripts());
        scripts.log().forEach(line -> LOG.log(Level.INFO, line));
        return scripts.secured();
    }

    /** Opens IPVS and starts the director; returns an error line (what, what to do) or null. */
    private String startDirector(KeepalivedConfig config) {
        Director.Kernel kernel;
        if (ipvsDryRun) {
            dryRun = new io.javalived.director.DryRunKernel();
            kernel = dryRun;
            LOG.log(Level.INFO, "IPVS: dry run - the table is computed in memory, not programmed into the kernel "
                    + "('javalived status' shows it)");
        } else {
            try {
                ipvs = IpvsClient.open();
            } catch (NetlinkException e) {
                return "IPVS: cannot open the kernel's IPVS interface for " + config.virtualServers().size()
                        + " virtual_server block(s) of " + file + ": " + e.getMessage()
                        + " (modprobe ip_vs), or run with --vrrp-only to run only VRRP, or --ipvs-dry-run to "
                        + "compute the table without programming it";
            }
            kernel = Director.Kernel.of(ipvs);
        }
        checks = new CheckScheduler();
        try {
            director = Director.start(config, kernel, checks,
                    new Director.Options(!dontReleaseIpvs, new ScriptRunner.Processes(), !cleanStart, stateFile(),
                            notifyFifos, smtp));
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return startAnycast(config);
    }

    /**
     * javalived's anycast extension: when the configuration has anycast virtual servers, their routes are announced
     * (once per run; a reload that adds the first one starts them). Returns an error line or null.
     */
    private String startAnycast(KeepalivedConfig config) {
        Director d = director;
        if (d == null || anycastStarted || !io.javalived.director.anycast.AnycastRoutes.any(config.virtualServers())) {
            return null;
        }
        try {
            d.announce(new io.javalived.director.anycast.AnycastRoutes(
                    new io.javalived.director.anycast.NetlinkAnycastKernel()));
            anycastStarted = true;
        } catch (io.javalived.netlink.ffi.NativeException e) {
            return "Anycast: cannot open rtnetlink for the anycast routes: " + e.getMessage()
                    + " (run as root, or remove the anycast blocks)";
        }
        return null;
    }

    private volatile boolean anycastStarted;

    /** The operator overrides' file: --state-file, else the default one, or none under --ipvs-dry-run. */
    Path stateFile() {
        if (stateFile != null) {
            return stateFile;
        }
        if (ipvsDryRun) {
            LOG.log(Level.INFO, "Operator overrides: kept in memory only under --ipvs-dry-run (give --state-file FILE"
                    + " to keep them across restarts)");
            return null;
        }
        return DEFAULT_STATE_FILE;
    }

    private void closeDirector() {
        Director d = director;
        director = null;
        anycastStarted = false;
        if (d != null) {
            d.close();
        }
        if (checks != null) {
            checks.close();
            checks = null;
        }
        if (ipvs != null) {
            ipvs.close();
            ipvs = null;
        }
        dryRun = null;
    }

    // ------------------------------------------------------------------------------------------------- status

    /** What the control socket and /metrics read. */
    final io.javalived.director.status.StatusSource statusSource = new io.javalived.director.status.StatusSource() {
        @Override
        public io.javalived.director.status.DaemonStatus status() {
            KeepalivedConfig cfg = running;
            VrrpUnits v = vrrp;
            java.util.List<io.javalived.vrrp.runtime.InstanceStatus> inst = new java.util.ArrayList<>(
                    v == null ? java.util.List.of() : v.status());
            if (cfg != null) {
                java.util.List<String> order = cfg.vrrpInstances().stream()
                        .map(io.javalived.config.model.VrrpInstance::name).toList();
                inst.sort(java.util.Comparator.comparingInt(i -> order.indexOf(i.name())));
            }
            Director d = director;
            java.util.List<io.javalived.director.status.VirtualServerStatus> vs = java.util.List.of();
            if (d != null) {
                try {
                    vs = d.status();
                } catch (IllegalStateException e) {
                    // stopping
                }
            }
            return new io.javalived.director.status.DaemonStatus(new Main.Version().getVersion()[0].substring(10),
                    ProcessHandle.current().pid(), startedAt, file.toString(), loadedAt, ipvsMode(),
                    java.util.List.copyOf(inst), vs);
        }

        @Override
        public io.javalived.director.OperatorControl control() {
            return director;
        }

        @Override
        public io.javalived.ipvs.IpvsTable ipvsTable() throws NetlinkException {
            io.javalived.director.DryRunKernel dr = dryRun;
            if (dr != null) {
                return dr.table();
            }
            IpvsClient c = ipvs;
            return c == null ? null : c.table();
        }
    };

    private String ipvsMode() {
        return dryRun != null ? "dry-run" : ipvs != null ? "kernel" : "off";
    }

    Path controlSocketPath() {
        if (controlSocket != null) {
            return controlSocket;
        }
        String p = pidFile.toString();
        return Path.of((p.endsWith(".pid") ? p.substring(0, p.length() - 4) : p) + ".sock");
    }

    /** The status socket and /metrics; a failure to open either is logged, never fatal (the VIPs matter more). */
    private void startEndpoints() {
        try {
            endpoints.add(io.javalived.daemon.ControlServer.start(statusSource, controlSocketPath()));
        } catch (java.io.IOException | RuntimeException e) {
            LOG.log(Level.ERROR, "Status socket " + controlSocketPath() + ": cannot listen (" + e.getMessage()
                    + ") - 'javalived status' will not reach this daemon; give a free path with --control-socket");
        }
        if (!noMetrics) {
            try {
                endpoints.add(io.javalived.daemon.metrics.MetricsServer.start(statusSource, metricsAddress));
            } catch (java.io.IOException | RuntimeException e) {
                LOG.log(Level.ERROR, "Metrics: cannot listen on " + metricsAddress + " (" + e.getMessage()
                        + ") - running without /metrics; give a free address with --metrics ADDR:PORT or "
                        + "--no-metrics");
            }
        }
    }

    private void closeEndpoints() {
        for (AutoCloseable c : endpoints) {
            try {
                c.close();
            } catch (Exception e) {
                // stopping anyway
            }
        }
        endpoints.clear();
    }

    // ------------------------------------------------------------------------------------------------- sync daemon

    /** lvs_sync_daemon at start: the backup daemon (with an instance) or both (without); see IpvsSyncd. */
    private synchronized void startSyncd(KeepalivedConfig config, boolean wantVrrp) {
        io.javalived.director.IpvsSyncd.Plan p = io.javalived.director.IpvsSyncd.plan(config);
        if (p == null || !openSyncd()) {
            return;
        }
        syncd.start(p, wantVrrp, !vrrpOnly);
    }

    /** Opens the sync daemon's IPVS socket once; false (logged) when it cannot. */
    private boolean openSyncd() {
        if (syncd != null) {
            return true;
        }
        if (ipvsDryRun) {
            LOG.log(Level.INFO, "IPVS: dry run - lvs_sync_daemon of global_defs is not started");
            return false;
        }
        try {
            syncdIpvs = IpvsClient.open();
        } catch (NetlinkException e) {
            LOG.log(Level.ERROR, "IPVS: cannot open the kernel's IPVS interface for lvs_sync_daemon of " + file + ": "
                    + e.getMessage() + " (modprobe ip_vs) - the connection sync daemon is not started");
            return false;
        }
        syncd = new io.javalived.director.IpvsSyncd(io.javalived.director.IpvsSyncd.Kernel.of(syncdIpvs));
        return true;
    }

    private void onVrrpState(String instance, io.javalived.vrrp.state.VrrpState state) {
        io.javalived.director.IpvsSyncd s = syncd;
        if (s != null) {
            s.onState(instance, state);
        }
    }

    private synchronized void reloadSyncd(KeepalivedConfig fresh) {
        io.javalived.director.IpvsSyncd.Plan p = io.javalived.director.IpvsSyncd.plan(fresh);
        if (p == null && syncd == null) {
            return;
        }
        if (!openSyncd()) {
            return;
        }
        VrrpUnits v = vrrp;
        syncd.reload(p, v != null && !fresh.vrrpInstances().isEmpty(), !vrrpOnly,
                name -> v == null ? null : v.state(name));
    }

    private synchronized void stopSyncd() {
        if (syncd != null) {
            syncd.stopAll();
            syncd = null;
        }
        if (syncdIpvs != null) {
            syncdIpvs.close();
            syncdIpvs = null;
        }
    }

    private void onVrrpMaster(boolean anyMaster) {
        masterNow = anyMaster;
        Director d = director;
        if (d != null) {
            d.setHaSuspended(!anyMaster);
        }
    }

    private synchronized void stopAll() {
        stopping = true;
        stopSyncd(); // first, as keepalived's VRRP shutdown: the daemon of the current state
        notifyFifos.endScripts(); // as keepalived: its scripts end first, then the STOP lines are written
        VrrpUnits v = vrrp;
        vrrp = null;
        if (v != null) {
            v.close(); // priority 0 first: the backup director takes the VIPs while the services still forward
        }
        try {
            closeDirector();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "IPVS: stopping the virtual servers failed: " + e.getMessage());
        }
        notifyFifos.close(); // after the STOP and shutdown lines
    }

    // ------------------------------------------------------------------------------------------------- dumps

    private final ExecutorService dumper = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "javalived-dump");
        t.setDaemon(true);
        return t;
    });

    private volatile KeepalivedDump dumps;

    private void installDumps() {
        dumps = new KeepalivedDump(tmpDir != null ? tmpDir : KeepalivedDump.defaultDir(),
                java.time.ZoneId.systemDefault());
        DaemonSignals.log(DaemonSignals.install(sig -> dumper.execute(() -> {
            try {
                started.await(); // a signal during start-up is answered once the instances run
            } catch (InterruptedException e) {
                return;
            }
            dump(sig);
        })));
    }

    /** SIGUSR1, SIGUSR2, SIGRTMIN+2, SIGRTMAX-1: keepalived's dump files (its log lines). */
    void dump(int sig) {
        KeepalivedConfig cfg = running;
        if (cfg == null || stopping) {
            return;
        }
        dumps.answer(sig, cfg, statusSource.status().instances());
    }

    // ------------------------------------------------------------------------------------------------- reload

    private final ExecutorService reloader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "javalived-reload");
        t.setDaemon(true);
        return t;
    });

    private final CountDownLatch started = new CountDownLatch(1);

    private void installReload() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> reloader.execute(() -> {
                try {
                    started.await(); // a SIGHUP during start-up reloads once the start is done
                } catch (InterruptedException e) {
                    return;
                }
                reload();
            }));
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "SIGHUP cannot be handled in this JVM (" + e.getMessage()
                    + "): reload by restarting");
        }
    }

    /** SIGHUP: re-read the file; a bad configuration keeps the running one. */
    synchronized void reload() {
        if (stopping) {
            return;
        }
        LOG.log(Level.INFO, "Reloading javalived on signal SIGHUP, config " + file);
        KeepalivedConfig fresh;
        try {
            fresh = load();
        } catch (ConfigException e) {
            LOG.log(Level.ERROR, "Reload failed, keeping the running configuration: " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Reload failed, keeping the running configuration: cannot read " + file + ": " + e);
            return;
        }
        if (stopping) {
            return;
        }
        if (!vrrpOnly) {
            Director d = director;
            try {
                if (d != null) {
                    d.reload(fresh);
                    String err = startAnycast(fresh);
                    if (err != null) {
                        LOG.log(Level.ERROR, err);
                    }
                } else if (!fresh.virtualServers().isEmpty()) {
                    String err = startDirector(fresh);
                    if (err != null) {
                        LOG.log(Level.ERROR, "Reload failed, keeping the running configuration: " + err);
                        closeDirector();
                        return;
                    }
                    director.setHaSuspended(!checkOnly && !masterNow && !fresh.vrrpInstances().isEmpty());
                }
            } catch (IllegalArgumentException e) {
                LOG.log(Level.ERROR, "Reload failed, keeping the running configuration: " + e.getMessage());
                return;
            }
        }
        if (!checkOnly && vrrp != null) {
            vrrp.reload(fresh);
        }
        reloadSyncd(fresh);
        running = fresh;
        loadedAt = java.time.Instant.now();
        LOG.log(Level.INFO, "Reload done: " + (vrrp == null ? 0 : vrrp.size()) + " VRRP instance(s), "
                + (director == null ? 0 : fresh.virtualServers().size()) + " virtual server(s)");
    }
}
