package io.javalived.cli;

import io.javalived.daemon.ControlClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code javalived drain|enable|disable|weight}: operator overrides of the running daemon, sent over its control
 * socket (root only). They survive reloads and restarts (the daemon's --state-file) and show in
 * {@code javalived status} and /metrics.
 */
final class ControlCommands {
    static final int EXIT_NO_DAEMON = 3;
    static final String FOOTER = "%nA real server RS is ADDRESS:PORT: under every virtual server holding it, or under"
            + " --vs VS only (VS as keepalived writes it: [10.0.0.1]:tcp:80, 10.0.0.1:80, 'FWM 7', [GROUP]:80)."
            + " Requests are idempotent. Overrides survive reload and restart (run --state-file).%n"
            + "%nExit status: 0 done, 1 the daemon refused (the message says why), 2 usage, 3 no daemon answers.";

    private ControlCommands() {
    }

    /** Where the daemon is: -S, or -p's socket. */
    static final class Socket {
        @Option(names = {"-S", "--control-socket"}, paramLabel = "PATH", description = "The daemon's control socket "
                + "(default: the pid file's path with .sock).")
        Path controlSocket;

        @Option(names = {"-p", "--pid"}, paramLabel = "FILE", description = "The daemon's pid file, as given to "
                + "'javalived run -p' (default: ${DEFAULT-VALUE}).", defaultValue = RunCommand.DEFAULT_PID_FILE)
        Path pidFile;

        Path socket() {
            return controlSocket != null ? controlSocket
                    : io.javalived.cli.status.StatusCommand.socketFor(pidFile);
        }
    }

    /** Sends one request and prints the answer; the exit status. */
    static int send(CommandSpec spec, Socket s, String request) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String name = "javalived " + spec.name();
        Path socket = s.socket();
        try {
            // a drain's answer waits for the kernel update; 30 s covers a loaded host
            out.print(ControlClient.request(socket, request, Duration.ofSeconds(30)));
            out.flush();
            return 0;
        } catch (ControlClient.NoDaemonException e) {
            err.println(name + ": no javalived daemon answers on " + socket + " (" + e.getMessage() + ")"
                    + (e.getMessage().startsWith("permission denied") ? "" : " - is it running? or give"
                    + " --control-socket / -p of the running daemon"));
            err.flush();
            return EXIT_NO_DAEMON;
        } catch (ControlClient.DaemonErrorException e) {
            err.println(name + ": " + e.getMessage());
            err.flush();
            return 1;
        } catch (IOException e) {
            err.println(name + ": " + socket + ": " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    static String vsPart(String vs) {
        return vs == null ? "" : " vs " + vs.trim();
    }

    @Command(name = "drain", mixinStandardHelpOptions = true, footer = FOOTER, description = {
            "Drain a real server: weight 0 in IPVS (its connections continue, no new ones come); once the kernel "
                    + "counts no active or inactive connection for it (checked every second), or at --timeout, it "
                    + "is taken out of the table, until 'javalived enable'. Under 'run --ipvs-dry-run' the "
                    + "in-memory table has no connections: the drain completes at the first count, a second later."})
    static final class Drain implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Socket socket;
        @Parameters(index = "0", paramLabel = "RS", description = "The real server, ADDRESS:PORT.")
        String rs;
        @Option(names = "--vs", paramLabel = "VS", description = "Only under this virtual server.")
        String vs;
        @Option(names = "--timeout", paramLabel = "D", description = "Take it out after D even with connections "
                + "left: seconds or 500ms, 30s, 5m, 1h (default: no limit).")
        String timeout;

        @Override
        public Integer call() {
            return send(spec, socket, "drain " + rs + vsPart(vs) + (timeout == null ? "" : " timeout " + timeout));
        }
    }

    /** enable and disable: the same options (a real or virtual server, --vs), one request word apart. */
    abstract static class TargetRequest implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Socket socket;
        @Parameters(index = "0", arity = "0..1", paramLabel = "RS|VS", description = "A real or virtual server.")
        String target;
        @Option(names = "--vs", paramLabel = "VS", description = "Only under this virtual server; alone: the "
                + "virtual server itself.")
        String vs;

        abstract String verb();

        @Override
        public Integer call() {
            return send(spec, socket, verb() + (target == null ? "" : " " + target) + vsPart(vs));
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, footer = FOOTER, description = {
            "End a drain or a disable: the real server goes back in when its checkers say it is up (at once if they "
                    + "do); with a virtual server (or --vs VS alone), its services come back."})
    static final class Enable extends TargetRequest {
        @Override
        String verb() {
            return "enable";
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, footer = FOOTER, description = {
            "Take a real server out of the IPVS table at once (its connections are no longer balanced to it), or a "
                    + "whole virtual server (its services are removed), until 'javalived enable'."})
    static final class Disable extends TargetRequest {
        @Override
        String verb() {
            return "disable";
        }
    }

    @Command(name = "weight", mixinStandardHelpOptions = true, footer = FOOTER, description = {
            "Override a real server's weight (0..2147483647, as keepalived.conf; 'reset' goes back to the configured "
                    + "or dynamic weight)."})
    static final class Weight implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Socket socket;
        @Parameters(index = "0", paramLabel = "RS", description = "The real server, ADDRESS:PORT.")
        String rs;
        @Parameters(index = "1", paramLabel = "N|reset", description = "The weight, or reset.")
        String weight;
        @Option(names = "--vs", paramLabel = "VS", description = "Only under this virtual server.")
        String vs;

        @Override
        public Integer call() {
            return send(spec, socket, "weight " + rs + " " + weight + vsPart(vs));
        }
    }
}
