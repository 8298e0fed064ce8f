package io.javalived.cli.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The javalived(1) page that {@code javalived man} writes: groff renders it without a single warning
 * ({@code -ww}), man-db renders it, and the rendered text has the sections an operator looks for and every
 * visible command and option of the live picocli model (so status/demo, once registered, are checked too).
 */
class ManPageTest {
    @TempDir
    static Path dir;
    static Path page;
    static String rendered;

    @BeforeAll
    static void generateAndRender() throws Exception {
        page = dir.resolve("javalived.1");
        int rc = Main.commandLine().execute("man", "-o", page.toString());
        assertThat(rc).isZero();
        Proc p = Proc.run(Map.of("MANWIDTH", "100", "MANPAGER", "cat", "PAGER", "cat", "MAN_DISABLE_SECCOMP", "1",
                "LANG", "C.UTF-8"), List.of(Proc.tool("man", "man-db"), "-l", page.toString()));
        assertThat(p.exit()).as("man -l: %s", p.err()).isZero();
        assertThat(p.err()).isEmpty();
        // drop overstrike bold/underline (man-db writes them when not on a terminal), normalise groff's dashes
        rendered = p.out().replaceAll(".\b", "").replace('\u2212', '-').replace('\u2010', '-');
    }

    @Test
    void groffRendersWithoutWarnings() throws Exception {
        Proc p = Proc.run(Map.of("LANG", "C.UTF-8"),
                List.of(Proc.tool("groff", "groff-base"), "-man", "-Tutf8", "-ww", "-z", page.toString()));
        assertThat(p.exit()).isZero();
        assertThat(p.err()).as("groff warnings").isEmpty();
        String src = Files.readString(page);
        assertThat(src).startsWith(".\\\"").contains(".TH \"JAVALIVED\" 1 ");
        // no text line may start with a control character by accident
        for (String line : src.split("\n")) {
            if (!line.startsWith(".") && !line.startsWith("'")) {
                continue;
            }
            assertThat(line).as("request").matches("^\\.(\\\\\"|TH|SH|SS|TP|PP|B|BR|br|RS|RE|nh|ad)( .*)?$");
        }
    }

    @Test
    void hasTheSectionsAnOperatorExpects() {
        assertThat(rendered).contains("JAVALIVED(1)", "\nNAME\n", "\nSYNOPSIS\n", "\nDESCRIPTION\n",
                "\nOPTIONS\n", "\nCOMMANDS\n", "\nSIGNALS\n", "\nEXIT STATUS\n", "\nFILES\n", "\nENVIRONMENT\n",
                "\nSEE ALSO\n");
        assertThat(section("SIGNALS")).contains("SIGTERM", "SIGINT", "SIGHUP", "priority 0", "Reload");
        assertThat(section("FILES")).contains("/etc/keepalived/keepalived.conf", "/run/javalived.pid",
                "/run/javalived.sock", "127.0.0.1:9650/metrics");
        assertThat(section("SEE ALSO")).contains("keepalived(8)", "keepalived.conf(5)", "ipvsadm(8)");
        String exit = section("EXIT STATUS");
        assertThat(exit).contains("javalived check", "javalived ipvs");
        assertThat(between(exit, "javalived check", "javalived ipvs")).containsPattern("\\b5\\s+configuration")
                .containsPattern("\\b6\\s+scripts would run without enable_script_security");
        assertThat(exit).containsPattern("\\b3\\s+IPVS not available").containsPattern("\\b4\\s+permission denied");
        assertThat(exit).doesNotContain("(Exit");
        if (Main.commandLine().getSubcommands().containsKey("status")) {
            assertThat(exit.substring(exit.indexOf("javalived status"))).containsPattern("\\b3\\s+no daemon");
        }
    }

    @Test
    void namesEveryVisibleCommandAndOptionAndNoHiddenOne() {
        CommandSpec root = Main.commandLine().getCommandSpec();
        List<CommandSpec> all = new ArrayList<>();
        collect(root, all);
        assertThat(all).extracting(CommandSpec::name).contains("run", "check", "ipvs", "reload", "status", "info");
        String commands = section("COMMANDS");
        for (CommandSpec c : all) {
            if (c == root) {
                continue;
            }
            assertThat(commands).as("command").contains(c.qualifiedName());
            String own = between(commands, c.qualifiedName() + "\n", "\n   javalived ");
            for (OptionSpec o : c.options()) {
                if (!o.hidden() && !o.usageHelp() && !o.versionHelp()) {
                    for (String n : o.names()) {
                        assertThat(own).as(c.qualifiedName() + " option").contains(n);
                    }
                }
            }
        }
        assertThat(rendered).doesNotContain("javalived man", "generate-completion");
    }

    private static void collect(CommandSpec c, List<CommandSpec> into) {
        into.add(c);
        for (Map.Entry<String, CommandLine> e : c.subcommands().entrySet()) {
            CommandSpec s = e.getValue().getCommandSpec();
            if (e.getKey().equals(s.name()) && !s.usageMessage().hidden()) {
                collect(s, into);
            }
        }
    }

    /** The rendered text of one top-level section (up to the next heading at column 0). */
    private static String section(String name) {
        int i = rendered.indexOf("\n" + name + "\n");
        assertThat(i).as("section " + name).isNotNegative();
        int j = i + name.length() + 2;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\n[A-Z][A-Z ]+\n").matcher(rendered);
        return rendered.substring(j, m.find(j) ? m.start() : rendered.length());
    }

    private static String between(String s, String from, String to) {
        int i = s.indexOf(from);
        assertThat(i).as(from).isNotNegative();
        int j = s.indexOf(to, i + from.length());
        return s.substring(i, j < 0 ? s.length() : j);
    }
}
