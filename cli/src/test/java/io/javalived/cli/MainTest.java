package io.javalived.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@link Main#main}'s command line builds only the subcommand it runs (for a fast start): it must parse, help and
 * fail exactly as the whole tree does.
 */
class MainTest {
    static String usage(CommandLine cl) {
        StringWriter w = new StringWriter();
        cl.usage(new PrintWriter(w, true), CommandLine.Help.Ansi.OFF);
        return w.toString();
    }

    @Test
    void eachRunnableSubcommandAloneHasTheUsageOfTheWholeTree() {
        CommandLine whole = Main.commandLine();
        List<String> alone = new ArrayList<>();
        for (var e : whole.getSubcommands().entrySet()) {
            String name = e.getKey();
            if (Main.subcommand(name) == null) {
                continue;
            }
            alone.add(name);
            CommandLine single = Main.commandLine(name, "--help");
            assertThat(single.getSubcommands()).as(name).containsOnlyKeys(name);
            assertThat(usage(single.getSubcommands().get(name))).as(name).isEqualTo(usage(e.getValue()));
            for (var nested : e.getValue().getSubcommands().entrySet()) { // ipvs status|list|info
                assertThat(usage(single.getSubcommands().get(name).getSubcommands().get(nested.getKey())))
                        .as(name + " " + nested.getKey()).isEqualTo(usage(nested.getValue()));
            }
        }
        assertThat(alone).containsExactly("check", "ipvs", "run", "reload", "drain", "enable", "disable", "weight", "status", "demo");
        // man and generate-completion render the whole tree, help names any command: they get all of it
        for (String whole2 : List.of("man", "generate-completion", "help", "--help", "--version", "nosuch")) {
            assertThat(Main.commandLine(whole2).getSubcommands().keySet()).as(whole2)
                    .isEqualTo(whole.getSubcommands().keySet());
        }
        assertThat(Main.commandLine().getSubcommands().keySet()).isEqualTo(whole.getSubcommands().keySet());
    }

    @Test
    void errorsAreTheSameAloneAndInTheWholeTree() {
        for (String[] args : new String[][] {{"status", "--nosuch"}, {"reload", "-p"}, {"ipvs", "status", "--x"},
            {"check", "--nosuch"}}) {
            StringWriter a = new StringWriter();
            StringWriter b = new StringWriter();
            int ra = Main.commandLine(args).setErr(new PrintWriter(a, true)).execute(args);
            int rb = Main.commandLine().setErr(new PrintWriter(b, true)).execute(args);
            assertThat(ra).as(String.join(" ", args)).isEqualTo(rb).isEqualTo(Main.EXIT_USAGE);
            assertThat(a.toString()).as(String.join(" ", args)).isEqualTo(b.toString()).isNotEmpty();
        }
    }

    @Test
    void nettyMachineIdIsALocallyAdministeredUnicastMac() {
        String before = System.clearProperty("io.netty.machineId");
        try {
            Main.quietNetty();
            String id = System.getProperty("io.netty.machineId");
            assertThat(id).matches("([0-9a-f]{2}:){7}[0-9a-f]{2}");
            int first = Integer.parseInt(id.substring(0, 2), 16);
            assertThat(first & 0x03).as("locally administered, unicast").isEqualTo(0x02);
            System.clearProperty("io.netty.machineId");
            Main.quietNetty();
            assertThat(System.getProperty("io.netty.machineId")).as("random").isNotEqualTo(id);
        } finally {
            if (before != null) {
                System.setProperty("io.netty.machineId", before);
            } else {
                System.clearProperty("io.netty.machineId");
            }
        }
    }

    /** {@code javalived ipvs status} through main, in a JVM of its own: libc through jffi, without jnr-ffi. */
    @Test
    void ipvsStatusInItsOwnJvmTalksToTheKernel(@TempDir Path dir) throws Exception {
        Path classes = dir.resolve("classes.log");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-XX:TieredStopAtLevel=1", "-Xlog:class+load=info:file=" + classes, "-cp",
                System.getProperty("java.class.path"), "io.javalived.cli.Main", "ipvs", "status");
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        if (Files.exists(Path.of("/proc/net/ip_vs"))) {
            assertThat(p.exitValue()).as(err).isZero();
            assertThat(out).startsWith("IP Virtual Server version ");
        } else {
            assertThat(p.exitValue()).as(out + err).isEqualTo(IpvsCommand.EXIT_NO_IPVS);
            assertThat(err).isEqualTo("IPVS is not available in this kernel (generic netlink family IPVS not found): "
                    + "load the ip_vs module\n");
        }
        // libc called through jffi directly: jnr-ffi's interface binding is not even loaded
        String loaded = Files.readString(classes);
        assertThat(loaded).contains("io.javalived.netlink.ffi.JffiCalls ", "com.kenai.jffi.internal.StubLoader ")
                .doesNotContain("io.javalived.netlink.ffi.LibC ", "jnr.ffi.");
    }
}
