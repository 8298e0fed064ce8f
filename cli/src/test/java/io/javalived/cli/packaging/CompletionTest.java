package io.javalived.cli.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The completion script that {@code javalived generate-completion} writes, sourced in a real bash and driven
 * the way bash's programmable completion drives it (COMP_WORDS / COMP_CWORD / COMP_LINE / COMP_POINT, then the
 * function registered with {@code complete -F}). The expected words come from the live picocli model, so
 * commands added later (status, demo) are checked too.
 */
class CompletionTest {
    @TempDir
    static Path dir;
    static Path script;

    @BeforeAll
    static void generate() throws Exception {
        script = dir.resolve("javalived.bash");
        int rc = Main.commandLine().execute("generate-completion", "-o", script.toString());
        assertThat(rc).isZero();
        assertThat(Files.readString(script)).contains("complete -F");
    }

    /** Visible subcommands of a command, by primary name (no aliases, nothing hidden). */
    static List<String> visibleSubcommands(CommandSpec spec) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, CommandLine> e : spec.subcommands().entrySet()) {
            CommandSpec s = e.getValue().getCommandSpec();
            if (e.getKey().equals(s.name()) && !s.usageMessage().hidden()) {
                names.add(e.getKey());
            }
        }
        return names;
    }

    /**
     * Completes each line (words separated by single spaces; a trailing space means "a new empty word") and
     * returns the candidates per line.
     */
    static Map<String, List<String>> complete(String... lines) throws Exception {
        StringBuilder sh = new StringBuilder();
        sh.append("set -u\nsource '").append(script).append("'\n");
        // compopt only works inside a completion that readline started; here it is a no-op
        sh.append("compopt() { :; }\n");
        sh.append("fn=$(complete -p javalived | sed -n 's/.*-F \\([^ ]*\\) .*/\\1/p')\n");
        sh.append("[ -n \"$fn\" ] || { echo 'no complete -F for javalived' >&2; exit 9; }\n");
        sh.append("c() { read -r -a COMP_WORDS <<< \"$1\"; ");
        sh.append("[ \"${1: -1}\" = ' ' ] && COMP_WORDS+=(''); ");
        sh.append("COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMP_LINE=\"$1\"; COMP_POINT=${#1}; COMPREPLY=(); ");
        sh.append("local prev=''; [ $COMP_CWORD -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}; ");
        sh.append("\"$fn\" javalived \"${COMP_WORDS[COMP_CWORD]}\" \"$prev\"; ");
        sh.append("printf '%s\\t' \"$1\"; printf '%s ' \"${COMPREPLY[@]}\"; printf '\\n'; }\n");
        for (String l : lines) {
            sh.append("c '").append(l).append("'\n");
        }
        Proc p = Proc.run(Map.of(), List.of(Proc.tool("bash", "bash"), "--norc", "--noprofile", "-c",
                sh.toString()));
        assertThat(p.exit()).as("bash: %s", p.err()).isZero();
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String row : p.out().split("\n")) {
            int tab = row.indexOf('\t');
            out.put(row.substring(0, tab), Arrays.asList(row.substring(tab + 1).trim().split("\\s+")));
        }
        assertThat(out.keySet()).containsExactly(lines);
        return out;
    }

    @Test
    void completesEverySubcommandFromItsPrefixAndHidesTheHiddenOnes() throws Exception {
        CommandSpec root = Main.commandLine().getCommandSpec();
        List<String> subs = visibleSubcommands(root);
        assertThat(subs).contains("run", "check", "ipvs", "reload", "status", "demo");
        List<String> lines = new ArrayList<>(List.of("javalived "));
        for (String s : subs) {
            lines.add("javalived " + s.substring(0, Math.min(2, s.length())));
        }
        Map<String, List<String>> got = complete(lines.toArray(String[]::new));
        assertThat(got.get("javalived ")).containsAll(subs).doesNotContain("man", "generate-completion");
        for (String s : subs) {
            assertThat(got.get("javalived " + s.substring(0, Math.min(2, s.length())))).as(s).contains(s)
                    .allMatch(w -> w.startsWith(s.substring(0, Math.min(2, s.length()))));
        }
        assertThat(complete("javalived st").get("javalived st")).containsExactly("status");
        assertThat(complete("javalived status --j").get("javalived status --j")).containsExactly("--json");
    }

    @Test
    void completesOptionsOfEveryVisibleCommand() throws Exception {
        CommandSpec root = Main.commandLine().getCommandSpec();
        Map<String, List<String>> expected = new LinkedHashMap<>();
        collect(root, "javalived", expected);
        Map<String, List<String>> got = complete(expected.keySet().toArray(String[]::new));
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            assertThat(got.get(e.getKey())).as(e.getKey()).containsAll(e.getValue());
        }
        assertThat(expected).containsKey("javalived run --");
        assertThat(expected.get("javalived run --")).contains("--ipvs-dry-run", "--use-file", "--pid");
    }

    private static void collect(CommandSpec spec, String line, Map<String, List<String>> into) {
        List<String> longs = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (!o.hidden()) {
                Arrays.stream(o.names()).filter(n -> n.startsWith("--")).forEach(longs::add);
            }
        }
        into.put(line + " --", longs);
        for (String s : visibleSubcommands(spec)) {
            collect(spec.subcommands().get(s).getCommandSpec(), line + " " + s, into);
        }
    }

    @Test
    void completesPrefixesOptionValuesAndNestedCommands() throws Exception {
        Path conf = Files.writeString(dir.resolve("keepalived-test.conf"), "! empty\n");
        Map<String, List<String>> got = complete("javalived run --ipvs", "javalived run --no", "javalived ipvs st",
                "javalived ipvs ", "javalived check -f " + dir + "/keepalived-t", "javalived run -P --vr");
        assertThat(got.get("javalived run --ipvs")).containsExactly("--ipvs-dry-run");
        assertThat(got.get("javalived run --no")).containsExactly("--no-metrics");
        assertThat(got.get("javalived ipvs st")).containsExactly("status");
        assertThat(got.get("javalived ipvs ")).contains("status", "info");
        assertThat(got.get("javalived check -f " + dir + "/keepalived-t")).containsExactly(conf.toString());
        assertThat(got.get("javalived run -P --vr")).contains("--vrrp-only", "--vrrp");
    }
}
