package io.javalived.cli.status;

import io.javalived.director.status.DaemonStatus;
import io.javalived.daemon.ControlClient;
import io.javalived.daemon.StatusJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code javalived status [--json] [--ipvs]}: what the running daemon does, read over its control socket. */
@Command(name = "status", mixinStandardHelpOptions = true, description = {
        "Show what the running javalived daemon does: VRRP instances (state, base and effective priority, VIPs, "
                + "since when, trackers with their state and weight) and virtual servers (quorum, real servers up, "
                + "sorry server; per real server health, weight, whether it is in the IPVS pool, since when, and "
                + "each checker's last result, reason and consecutive failures).",
        "",
        "Read from the daemon's root-only control socket (javalived run -S/--control-socket; by default the pid "
                + "file's path with .sock: /run/javalived.sock). The JSON form (--json) is stable: its fields are "
                + "documented in STATUS.md (daemon/src/main/java/io/javalived/daemon/ in the source).",
        ""},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the daemon answered",
                "1:it answered with an error, an unreadable status, or not in time",
                "2:usage error",
                "3:no daemon answers on the socket (no socket file, connection refused, or permission denied)"})
public final class StatusCommand implements Callable<Integer> {
    /** No daemon answers on the socket. */
    public static final int EXIT_NO_DAEMON = 3;
    static final String DEFAULT_PID_FILE = "/run/javalived.pid";

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the status as JSON (schema: STATUS.md).")
    boolean json;

    @Option(names = "--ipvs", description = "Also print the IPVS table as ipvsadm -Ln does: the kernel's, or under "
            + "'run --ipvs-dry-run' the table javalived would program.")
    boolean ipvs;

    @Option(names = {"-S", "--control-socket"}, paramLabel = "PATH", description = "The daemon's control socket "
            + "(default: the pid file's path with .sock).")
    Path controlSocket;

    @Option(names = {"-p", "--pid"}, paramLabel = "FILE", description = "The daemon's pid file, as given to "
            + "'javalived run -p' (default: ${DEFAULT-VALUE}); its socket is FILE with .sock instead of .pid.",
            defaultValue = DEFAULT_PID_FILE)
    Path pidFile;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long to wait for the answer "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "10")
    int timeoutSeconds;

    Clock clock = Clock.systemUTC();

    /** The control socket of a daemon started with {@code -p pidFile} (as {@code javalived run} computes it). */
    public static Path socketFor(Path pidFile) {
        String p = pidFile.toString();
        return Path.of((p.endsWith(".pid") ? p.substring(0, p.length() - 4) : p) + ".sock");
    }

    Path socket() {
        return controlSocket != null ? controlSocket : socketFor(pidFile);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path socket = socket();
        Duration timeout = Duration.ofSeconds(Math.max(1, timeoutSeconds));
        try {
            String answer = ControlClient.request(socket, "status", timeout);
            DaemonStatus st;
            try {
                st = StatusJson.read(answer);
            } catch (IllegalArgumentException e) {
                err.println("javalived status: the daemon on " + socket + " sent a status this version cannot read ("
                        + e.getMessage() + ") - is it another program, or a much newer javalived?");
                err.flush();
                return 1;
            }
            String table = ipvs ? ControlClient.request(socket, "ipvs", timeout) : null;
            if (json) {
                if (table == null) {
                    out.print(answer);
                } else {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = (Map<String, Object>) StatusJson.parse(answer);
                    Map<String, Object> t = new LinkedHashMap<>();
                    int nl = table.indexOf('\n');
                    String head = nl < 0 ? table : table.substring(0, nl);
                    t.put("mode", head.startsWith("ipvs ") ? head.substring(5).trim() : head.trim());
                    t.put("listing", nl < 0 ? null : table.substring(nl + 1));
                    m.put("ipvsTable", t);
                    out.print(StatusJson.writeValue(m));
                }
            } else {
                out.print(StatusText.render(st, clock.instant()));
                if (table != null) {
                    out.println();
                    out.print(ipvsText(table));
                }
            }
            out.flush();
            return 0;
        } catch (ControlClient.NoDaemonException e) {
            err.println(noDaemonMessage(socket, e.getMessage()));
            err.flush();
            return EXIT_NO_DAEMON;
        } catch (ControlClient.DaemonErrorException e) {
            err.println("javalived status: the daemon on " + socket + " answered: " + e.getMessage());
            err.flush();
            return 1;
        } catch (IOException e) {
            err.println("javalived status: " + socket + ": " + e.getMessage() + " - is the daemon stuck? (its log: "
                    + "journalctl -u javalived)");
            err.flush();
            return 1;
        }
    }

    /** The one line shown when nobody answers on the socket. */
    static String noDaemonMessage(Path socket, String why) {
        if (why != null && why.startsWith("permission denied")) {
            return "javalived status: cannot connect to " + socket + ": permission denied - the socket is root "
                    + "only: run as root (sudo javalived status)";
        }
        return "javalived status: no javalived daemon answers on " + socket + " (" + why + ") - is it running? "
                + "(systemctl status javalived) - or give --control-socket / -p of the running daemon";
    }

    /** The IPVS answer ("ipvs MODE" + listing) as labelled text. */
    static String ipvsText(String answer) {
        int nl = answer.indexOf('\n');
        String head = (nl < 0 ? answer : answer.substring(0, nl)).trim();
        String listing = nl < 0 ? "" : answer.substring(nl + 1);
        String mode = head.startsWith("ipvs ") ? head.substring(5) : head;
        return switch (mode) {
            case "kernel" -> "IPVS table (kernel):\n" + listing;
            case "dry-run" -> "IPVS table (dry run - what javalived would program; the kernel is not touched):\n"
                    + listing;
            case "off" -> "IPVS: off (no virtual servers, or the daemon runs --vrrp-only)\n";
            default -> "IPVS (" + mode + "):\n" + listing;
        };
    }
}
