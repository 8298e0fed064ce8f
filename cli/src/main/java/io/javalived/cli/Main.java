package io.javalived.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code javalived} — the command line. Each subcommand lives in its own class. */
@Command(name = "javalived", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A Linux load-balancer director: VRRP + IPVS + health checks, configured by keepalived.conf.",
        subcommands = {CheckCommand.class, IpvsCommand.class, RunCommand.class, ReloadCommand.class,
                ControlCommands.Drain.class, ControlCommands.Enable.class, ControlCommands.Disable.class,
                ControlCommands.Weight.class,
                ManPage.class, Completion.class,
                io.javalived.cli.status.StatusCommand.class,
                io.javalived.demo.DemoCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code for a usage error (picocli's default as well). */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    public static void main(String[] args) {
        quietNetty();
        System.exit(commandLine().execute(args));
    }

    /**
     * Netty derives its channel ids from a MAC address and warns, in two lines outside javalived's log format, when a
     * network namespace has none (lab and container namespaces often have only lo): give it a random, locally
     * administered machine id instead (the ids only need to be unique, not tied to hardware).
     */
    static void quietNetty() {
        if (System.getProperty("io.netty.machineId") == null) {
            byte[] b = new byte[8];
            new java.security.SecureRandom().nextBytes(b);
            b[0] = (byte) ((b[0] & 0xfc) | 0x02); // unicast, locally administered
            StringBuilder sb = new StringBuilder();
            for (byte x : b) {
                sb.append(sb.length() == 0 ? "" : ":").append(String.format("%02x", x & 0xff));
            }
            System.setProperty("io.netty.machineId", sb.toString());
        }
    }

    /** Version from the jar manifest, or the development version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"javalived " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
