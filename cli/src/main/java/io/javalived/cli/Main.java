package io.javalived.cli;

import io.javalived.cli.status.StatusCommand;
import io.javalived.demo.DemoCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code javalived} — the command line. Each subcommand lives in its own class.
 *
 * <p>Short commands ({@code status}, {@code ipvs status}, {@code reload}) should start fast, so {@link #main} builds
 * only the subcommand it runs (picocli would otherwise build every subcommand's model, and load its classes, on each
 * start); help, the man page and the completion script get the whole tree from {@link #commandLine()}.
 */
@Command(name = "javalived", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A Linux load-balancer director: VRRP + IPVS + health checks, configured by keepalived.conf.")
public final class Main implements Runnable {
    /** Exit code for a usage error (picocli's default as well). */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
    }

    /** The whole command tree: every subcommand (for help, {@code man}, {@code generate-completion} and tests). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand(subcommand("check"));
        cl.addSubcommand(subcommand("ipvs"));
        cl.addSubcommand(subcommand("run"));
        cl.addSubcommand(subcommand("reload"));
        cl.addSubcommand(subcommand("drain"));
        cl.addSubcommand(subcommand("enable"));
        cl.addSubcommand(subcommand("disable"));
        cl.addSubcommand(subcommand("weight"));
        cl.addSubcommand(new ManPage());
        cl.addSubcommand(new Completion());
        cl.addSubcommand(subcommand("status"));
        cl.addSubcommand(subcommand("demo"));
        cl.addSubcommand(new CommandLine.HelpCommand());
        return cl.setCaseInsensitiveEnumValuesAllowed(true);
    }

    /**
     * The command line for {@code args}: when the first argument names a subcommand that runs on its own, the root
     * with only that subcommand (its parsing, help and errors are the same as in the whole tree); else the whole tree.
     */
    static CommandLine commandLine(String... args) {
        Object sub = args.length == 0 ? null : subcommand(args[0]);
        if (sub == null) {
            return commandLine();
        }
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand(sub);
        return cl.setCaseInsensitiveEnumValuesAllowed(true);
    }

    /**
     * A new instance of the subcommand named {@code name}, or null for the ones that need the whole tree (man,
     * generate-completion, help) and for anything else.
     */
    static Object subcommand(String name) {
        return switch (name) {
            case "check" -> new CheckCommand();
            case "ipvs" -> new IpvsCommand();
            case "run" -> new RunCommand();
            case "reload" -> new ReloadCommand();
            case "drain" -> new ControlCommands.Drain();
            case "enable" -> new ControlCommands.Enable();
            case "disable" -> new ControlCommands.Disable();
            case "weight" -> new ControlCommands.Weight();
            case "status" -> new StatusCommand();
            case "demo" -> new DemoCommand();
            default -> null;
        };
    }

    public static void main(String[] args) {
        quietNetty();
        boolean daemon = args.length > 0 && (args[0].equals("run") || args[0].equals("demo"));
        if (args.length > 0) {
            warmUp(args[0]);
        }
        if (!daemon && System.getProperty("jnr.ffi.asm.enabled") == null) {
            // one-shot commands make a few C calls: jnr-ffi's reflection binding starts faster than generating
            // (and loading) bytecode for every function of the C library; the daemon keeps the faster calls
            System.setProperty("jnr.ffi.asm.enabled", "false");
        }
        System.exit(commandLine(args).execute(args));
    }

    /**
     * Starts, on a background thread, the slow first steps of what a short command will do, so that they run on the
     * other CPU while picocli builds the command's model and parses the arguments (~100 ms): jffi's start-up for
     * {@code ipvs} (its native stub, java.util.logging), the JDK's UNIX-domain socket set-up for the commands that talk
     * to the daemon's control socket (its class initialisation seeds a SecureRandom: providers, /dev/urandom). What
     * the command then needs waits for what is still running; a failure here only means the command meets it itself.
     */
    static void warmUp(String command) {
        switch (command) {
            case "ipvs" -> io.javalived.netlink.ffi.JffiLibraryCache.warmUpInBackground();
            case "status", "drain", "enable", "disable", "weight" -> new ControlSocketWarmUp().start();
            default -> {
            }
        }
    }

    /** A thread, not a lambda: a short command's first lambda of a shape costs more than the thread. */
    private static final class ControlSocketWarmUp extends Thread {
        ControlSocketWarmUp() {
            super("control-socket-warm-up");
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX).close();
            } catch (java.io.IOException | RuntimeException e) {
                // the command opens its own socket and reports what fails there
            }
        }
    }

    /**
     * Netty derives its channel ids from a MAC address and warns, in two lines outside javalived's log format, when a
     * network namespace has none (lab and container namespaces often have only lo): give it a random, locally
     * administered machine id instead (the ids only need to be unique, not tied to hardware, so no SecureRandom:
     * its providers would cost every short command tens of milliseconds).
     */
    static void quietNetty() {
        if (System.getProperty("io.netty.machineId") == null) {
            long r = java.util.concurrent.ThreadLocalRandom.current().nextLong() ^ System.nanoTime();
            StringBuilder sb = new StringBuilder(23);
            for (int i = 0; i < 8; i++) {
                int x = (int) (r >>> (8 * i)) & 0xff;
                if (i == 0) {
                    x = (x & 0xfc) | 0x02; // unicast, locally administered
                } else {
                    sb.append(':');
                }
                sb.append(HEX[x >> 4]).append(HEX[x & 15]);
            }
            System.setProperty("io.netty.machineId", sb.toString());
        }
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Version from the jar manifest, or the development version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"javalived " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
