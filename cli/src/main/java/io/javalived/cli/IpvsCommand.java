package io.javalived.cli;

import io.javalived.ipvs.IpvsClient;
import io.javalived.ipvs.IpvsInfo;
import io.javalived.ipvs.IpvsTable;
import io.javalived.ipvs.IpvsText;
import io.javalived.ipvs.IpvsTimeouts;
import io.javalived.ipvs.IpvsUnavailableException;
import io.javalived.ipvs.SyncDaemon;
import io.javalived.netlink.NetlinkException;
import io.javalived.netlink.ffi.Errno;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code javalived ipvs status|list|info}: reads the kernel's IPVS table over generic netlink.
 *
 * <p>Exit codes: 0 success, 1 other error, 2 usage error, 3 IPVS not available in this kernel, 4 permission denied
 * (needs root or CAP_NET_ADMIN).
 */
@Command(name = "ipvs", mixinStandardHelpOptions = true, description = "Read the kernel's IPVS table (generic netlink; no ipvsadm needed).",
        subcommands = {IpvsCommand.Status.class, IpvsCommand.Info.class},
        footer = {"", "Exit status: 0 ok, 1 error, 2 usage, " + IpvsCommand.EXIT_NO_IPVS
                + " IPVS not available in this kernel, " + IpvsCommand.EXIT_PERMISSION
                + " permission denied (needs root or CAP_NET_ADMIN)."})
public final class IpvsCommand implements Callable<Integer> {
    /** The kernel has no IPVS (ip_vs module not loaded). */
    public static final int EXIT_NO_IPVS = 3;
    /** Not allowed to talk to IPVS (no CAP_NET_ADMIN). */
    public static final int EXIT_PERMISSION = 4;
    public static final int EXIT_ERROR = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Main.EXIT_USAGE;
    }

    /** Runs a body against an open client, turning every failure into a plain message and an exit code. */
    interface Body {
        int run(IpvsClient c, PrintWriter out) throws NetlinkException;
    }

    static int withClient(CommandLine cl, String what, Body body) {
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        try (IpvsClient c = IpvsClient.open()) {
            int rc = body.run(c, out);
            out.flush();
            return rc;
        } catch (IpvsUnavailableException e) {
            err.println(e.getMessage());
            return EXIT_NO_IPVS;
        } catch (NetlinkException e) {
            if (e.errno() == Errno.EPERM || e.errno() == Errno.EACCES) {
                err.println("javalived ipvs " + what + ": permission denied reading the IPVS table ("
                        + e.errnoName() + "): run it as root or with CAP_NET_ADMIN");
                return EXIT_PERMISSION;
            }
            err.println("javalived ipvs " + what + ": " + e.getMessage());
            return EXIT_ERROR;
        } catch (RuntimeException e) {
            err.println("javalived ipvs " + what + ": unexpected answer from the kernel: " + e);
            return EXIT_ERROR;
        } catch (LinkageError e) {
            Throwable why = e instanceof ExceptionInInitializerError && e.getCause() != null ? e.getCause() : e;
            err.println("javalived ipvs " + what + ": cannot call the C library (jffi): " + why);
            return EXIT_ERROR;
        } finally {
            err.flush();
        }
    }

    /** {@code javalived ipvs status}: the table, as {@code ipvsadm -Ln} prints it. */
    @Command(name = "status", aliases = "list", mixinStandardHelpOptions = true,
            description = {"Print the IPVS table as ipvsadm -Ln does (same layout and order).",
                "Exit status: 0 ok, 1 error, 2 usage, 3 IPVS not available in this kernel, 4 permission denied."})
    static final class Status implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--stats", description = "Counters (as ipvsadm -Ln --stats).")
        boolean stats;
        @Option(names = "--rate", description = "Rates (as ipvsadm -Ln --rate).")
        boolean rate;
        @Option(names = "--thresholds", description = "Upper/lower connection thresholds.")
        boolean thresholds;
        @Option(names = "--persistent-conn", description = "Persistent connection counts.")
        boolean persistentConn;
        @Option(names = "--tun-info", description = "Tunnel type, port and checksum flags.")
        boolean tunInfo;
        @Option(names = "--exact", description = "Exact numbers (no K/M/G) with --stats/--rate.")
        boolean exact;
        @Option(names = "--json", description = "The whole table (settings, counters, rates) as JSON.")
        boolean json;
        @Option(names = {"-c", "--connection"}, description = "The kernel's connection table with state and expiry "
                + "(as ipvsadm -Lnc; read from /proc/net/ip_vs_conn: the netlink family has no connection dump).")
        boolean connections;
        @Option(names = {"-t", "--tcp-service"}, paramLabel = "VIP:PORT", description = "Only this TCP service.")
        String tcp;
        @Option(names = {"-u", "--udp-service"}, paramLabel = "VIP:PORT", description = "Only this UDP service.")
        String udp;
        @Option(names = {"-f", "--fwmark-service"}, paramLabel = "MARK", description = "Only this fwmark service "
                + "(with -c: the connections to its real servers, as the connection table has no mark).")
        Long fwmark;
        @Option(names = "--zero", description = "After printing, zero the packet, byte and rate counters (IPVS_CMD_"
                + "ZERO, as ipvsadm -Z) of the selected service, or of every service.")
        boolean zero;

        @Override
        public Integer call() {
            int n = (stats ? 1 : 0) + (rate ? 1 : 0) + (thresholds ? 1 : 0) + (persistentConn ? 1 : 0)
                    + (tunInfo ? 1 : 0) + (json ? 1 : 0);
            int filters = (tcp != null ? 1 : 0) + (udp != null ? 1 : 0) + (fwmark != null ? 1 : 0);
            if (filters > 1 || connections && n > 0) {
                spec.commandLine().getErr().println("javalived ipvs status: " + (filters > 1
                        ? "give at most one of -t, -u, -f" : "-c lists connections: it takes no --stats, --rate, "
                        + "--thresholds, --persistent-conn, --tun-info or --json"));
                spec.commandLine().getErr().flush();
                return Main.EXIT_USAGE;
            }
            io.javalived.ipvs.ServiceKey only;
            try {
                only = tcp != null ? serviceKey(io.javalived.inet.Protocol.TCP, tcp)
                        : udp != null ? serviceKey(io.javalived.inet.Protocol.UDP, udp)
                        : fwmark != null ? io.javalived.ipvs.ServiceKey.fwmark(fwmark, false) : null;
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("javalived ipvs status: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return Main.EXIT_USAGE;
            }
            if (n > 1) {
                spec.commandLine().getErr().println(
                        "javalived ipvs status: choose one of --stats, --rate, --thresholds, --persistent-conn, "
                                + "--tun-info, --json");
                spec.commandLine().getErr().flush();
                return Main.EXIT_USAGE;
            }
            IpvsText.Format f = stats ? IpvsText.Format.STATS : rate ? IpvsText.Format.RATE
                    : thresholds ? IpvsText.Format.THRESHOLDS : persistentConn ? IpvsText.Format.PERSISTENT_CONN
                    : tunInfo ? IpvsText.Format.TUN_INFO : IpvsText.Format.DEFAULT;
            return withClient(spec.commandLine(), "status", (c, out) -> {
                IpvsInfo info = c.info();
                IpvsTable table = c.table();
                if (only != null) {
                    IpvsTable.Row row = table.get(only);
                    if (row == null && only.isFwmark()) {
                        row = table.get(io.javalived.ipvs.ServiceKey.fwmark(only.fwmark(), true));
                    }
                    if (row == null) {
                        spec.commandLine().getErr().println("javalived ipvs status: no such service "
                                + IpvsText.keyOptions(only) + " in the IPVS table (javalived ipvs status lists them)");
                        return EXIT_ERROR;
                    }
                    table = new IpvsTable(List.of(row));
                }
                if (connections) {
                    List<io.javalived.ipvs.IpvsConnections.Connection> conns;
                    try {
                        conns = io.javalived.ipvs.IpvsConnections.read(io.javalived.ipvs.IpvsConnections.PROC);
                    } catch (java.io.IOException | IllegalArgumentException e) {
                        spec.commandLine().getErr().println("javalived ipvs status -c: " + e.getMessage());
                        return EXIT_ERROR;
                    }
                    if (only != null) {
                        conns = filter(conns, only, table.services().get(0));
                    }
                    out.print(io.javalived.ipvs.IpvsConnections.listing(conns));
                } else if (json) {
                    out.println(IpvsText.json(info, table));
                } else {
                    out.print(IpvsText.listing(info, table, f, exact));
                }
                if (zero) {
                    if (only != null) {
                        c.zero(table.services().get(0).key());
                    } else {
                        c.zero();
                    }
                }
                return 0;
            });
        }

        /** VIP:PORT of -t / -u. */
        static io.javalived.ipvs.ServiceKey serviceKey(io.javalived.inet.Protocol p, String text) {
            java.net.InetSocketAddress a = io.javalived.director.OverrideStore.realServer(text);
            return io.javalived.ipvs.ServiceKey.of(p, a.getAddress(), a.getPort());
        }

        /**
         * The connections of one service: to its address and port (-t, -u), or, for a fwmark service, to one of its
         * destinations (the connection table carries no mark).
         */
        static List<io.javalived.ipvs.IpvsConnections.Connection> filter(
                List<io.javalived.ipvs.IpvsConnections.Connection> conns, io.javalived.ipvs.ServiceKey k,
                IpvsTable.Row row) {
            java.util.Set<java.net.InetSocketAddress> dests = new java.util.HashSet<>();
            for (io.javalived.ipvs.Destination d : row.servers()) {
                dests.add(new java.net.InetSocketAddress(d.address(), d.port()));
            }
            String proto = k.isFwmark() ? null : k.protocol().name();
            return conns.stream().filter(c -> k.isFwmark() ? dests.contains(c.destination())
                    : c.protocol().equalsIgnoreCase(proto) && c.virtual().getAddress().equals(k.address())
                    && c.virtual().getPort() == k.port()).toList();
        }
    }

    /** {@code javalived ipvs info}: version, table size, timeouts and sync daemons. */
    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Print the IPVS version, connection table size, timeouts and sync daemons.")
    static final class Info implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return withClient(spec.commandLine(), "info", (c, out) -> {
                IpvsInfo info = c.info();
                IpvsTimeouts t = c.timeouts();
                List<SyncDaemon> ds = c.daemons();
                out.println("IP Virtual Server version " + info.versionString() + " (size=" + info.connTableSize()
                        + ")");
                out.println("Services: " + c.services().size());
                out.println("Timeout (tcp tcpfin udp): " + t.tcp() + " " + t.tcpFin() + " " + t.udp());
                for (SyncDaemon d : ds) {
                    out.println(d.stateName() + " sync daemon (mcast=" + d.interfaceName() + ", syncid=" + d.syncId()
                            + ")");
                }
                return 0;
            });
        }
    }
}
