package io.javalived.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `javalived ipvs ...` on this host's real kernel, which has no IPVS. */
class IpvsCommandTest {
    record Run(int rc, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int rc = cl.execute(args);
        return new Run(rc, out.toString(), err.toString());
    }

    @Test
    void everyCommandSaysIpvsIsMissingWithItsOwnExitCode() {
        Assumptions.assumeFalse(Files.exists(Path.of("/proc/net/ip_vs")), "this kernel has IPVS");
        for (String[] args : new String[][] {{"ipvs", "status"}, {"ipvs", "list"}, {"ipvs", "status", "--stats"},
            {"ipvs", "list", "--rate"}, {"ipvs", "status", "--json"}, {"ipvs", "info"}}) {
            Run r = run(args);
            assertThat(r.rc()).as(String.join(" ", args)).isEqualTo(IpvsCommand.EXIT_NO_IPVS);
            assertThat(r.err()).isEqualTo("IPVS is not available in this kernel (generic netlink family IPVS not "
                    + "found): load the ip_vs module\n");
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void conflictingFormatsAreAUsageError() {
        Run r = run("ipvs", "status", "--stats", "--json");
        assertThat(r.rc()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).contains("choose one of");
    }

    @Test
    void bareIpvsPrintsUsage() {
        Run r = run("ipvs");
        assertThat(r.rc()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).contains("status", "info", "Exit status");
    }
}
