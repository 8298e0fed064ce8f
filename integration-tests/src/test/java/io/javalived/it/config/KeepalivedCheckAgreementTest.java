package io.javalived.it.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential test: {@code javalived check -f FILE} must give the same verdict (accepted = exit 0,
 * rejected = non-zero) as Debian's {@code keepalived -t -f FILE} — the oracle — on every file in
 * {@value #DEBIAN_SAMPLES}, every file in {@code config-samples/} and the deterministic mutants
 * {@link ConfigMutator} makes of them. Both run inside a network namespace that has the interfaces
 * the samples name ({@link CheckNetns}); javalived runs in ONE JVM there ({@link JavalivedCheckDriver}).
 *
 * <p>Every remaining disagreement must be listed in {@link #KNOWN_DIFFERENCES} with the reason
 * javalived is right; any other disagreement fails the test, and so does a listed difference that
 * no longer occurs. Exit codes are compared too (keepalived -t: 0 ok, 4 only file/interface/fatal
 * problems, 5 other config errors, 6 script security violation; see KEEPALIVED-T-NOTES.md); they
 * must match exactly where either side says 6, and are otherwise reported.
 *
 * <p>The table and per-case details are printed and written to
 * {@code target/keepalived-check-agreement.txt}. {@code -Djvcfg.keep=true} keeps the corpus directory.
 */
class KeepalivedCheckAgreementTest {
    static final String DEBIAN_SAMPLES = "/usr/share/doc/keepalived/samples"; // = ConfigCorpus.DEBIAN_SAMPLES
    static final long SEED = 20261124L;
    static final int MUTANTS_PER_SOURCE = 8;
    static final int MIN_MUTANTS = 200;

    /**
     * A remaining, explained disagreement: cases whose id matches, with these verdicts. {@code required}: the
     * difference must show (else it is stale); false for those that depend on keepalived's speed (include cycles).
     */
    record KnownDifference(String name, Pattern caseId, String keepalived, String javalived, String reason,
                           boolean required) {
        KnownDifference(String name, Pattern caseId, String keepalived, String javalived, String reason) {
            this(name, caseId, keepalived, javalived, reason, true);
        }

        boolean matches(Outcome o) {
            return caseId.matcher(o.c.id).find() && verdictMatches(keepalived, o.keepalived) && verdictMatches(javalived, o.javalived);
        }

        private static boolean verdictMatches(String want, String got) {
            if (want.equals("TIMEOUT")) {
                return "TIMEOUT".equals(got);
            }
            return isVerdict(got) && (want.equals("*") || want.equals(got) || want.equals("reject") && isReject(got)
                    || want.equals("accept") && got.equals("0"));
        }
    }

    /**
     * The disagreements that remain, each with the reason javalived is right. keepalived verdicts
     * "accept", "reject", "*" or an exact exit code; javalived the same.
     */
    static final List<KnownDifference> KNOWN_DIFFERENCES = List.of(
            new KnownDifference("keepalived-t-kills-itself-on-non-root-script_user",
                    Pattern.compile("#script-user"), "143", "*",
                    "keepalived 2.2.7 -t checks a script as its script_user with seteuid and then, because "
                    + "in test mode there is no parent process, believes its parent died and sends itself "
                    + "SIGTERM (exit 143) whenever script_user is not root: that is a crash of the oracle, not "
                    + "a verdict on the file; javalived judges the file itself"),
            new KnownDifference("include-cycle-accepted-by-keepalived",
                    Pattern.compile("#include-cycle"), "accept", "reject",
                    "keepalived does not detect include cycles: it re-reads the files until it runs out of file "
                    + "descriptors (\"Too many open files - skipping\"), so every block is defined hundreds of "
                    + "times and the verdict depends on ulimit -n; it only says 0 when the repeated blocks happen "
                    + "to be ones it does not check for duplicates (virtual_server). javalived reports the cycle "
                    + "(file:line of the include) as the configuration error it is", false),
            new KnownDifference("include-cycle-keepalived-timeout",
                    Pattern.compile("#include-cycle"), "TIMEOUT", "reject",
                    "keepalived re-reading an include cycle until it runs out of file descriptors can take longer "
                    + "than the per-file limit on a loaded machine; javalived reports the cycle at once", false),
            new KnownDifference("include-cycle-exit-code",
                    Pattern.compile("#include-cycle"), "6", "5",
                    "both reject; keepalived reaches its script-security check after reading the cycle's hundreds "
                    + "of copies (so 6), javalived stops at the cycle: what the file means is undefined, so "
                    + "judging its scripts is meaningless, and 5 is the configuration-error code", false),
            new KnownDifference("startup-shutdown-script-not-run-by-javalived",
                    Pattern.compile("keyword/global_defs/(startup|shutdown)_script\\b"), "6", "0",
                    "keepalived runs global_defs startup_script / shutdown_script, so without enable_script_security "
                    + "it reports a security violation (6); javalived does not run them (a notice at check and at "
                    + "start says so: run them from the service manager), so no script runs as root and the "
                    + "configuration is accepted"),
            new KnownDifference("keyword-refused-by-javalived",
                    Pattern.compile("^keyword/.* \\[refused\\]$"), "accept", "5",
                    "the keyword corpus (a file per row of config/KEYWORDS.md): keywords javalived refuses, each "
                    + "with its reason at file:line, because running them would mislead (net_namespace, "
                    + "net_namespace_ipvs, track_process, track_bfd, BFD_CHECK): keepalived accepts them"));

    /**
     * Mutations the issue names explicitly, each applied (on top of the random ones) to
     * {@link #TARGETED_SOURCES} sources it applies to: operator, forced value (null = the operator's own).
     */
    static final List<Map.Entry<ConfigMutator.Operator, String>> TARGETED = targeted(
            "priority", "0", "priority", "256", "priority", "300", "priority", "-1", "priority", "255",
            "vrid", "0", "vrid", "256", "vrid", "255",
            "advert-int", "0", "advert-int", "-1", "advert-int", "0.5",
            "weight", "-1", "weight", "70000", "weight", "-254", "weight", "255",
            "port", "0", "port", "65536", "port", "http",
            "bad-address", "999.1.1.1", "bad-address", "10.0.0.1/33", "bad-address", "garbage",
            "scheduler", "xyz", "scheduler", "mh", "lb-kind", "XYZ", "lb-kind", "nat", "state", "FOO",
            "script-user", "nobody", "script-user", "root",
            "missing-include", null, "include-cycle", "self", "include-cycle", "pair", "include-split", null,
            "duplicate-instance", null, "undefined-track-script", null, "mixed-family", null,
            "missing-interface", null, "missing-interface", "lo", "unknown-keyword", null, "delete-close-brace", null,
            "extra-close-brace", null, "delete-open-brace", null, "missing-value", null);
    static final int TARGETED_SOURCES = 2;

    private static List<Map.Entry<ConfigMutator.Operator, String>> targeted(String... pairs) {
        List<Map.Entry<ConfigMutator.Operator, String>> l = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            String label = pairs[i];
            ConfigMutator.Operator op = java.util.Arrays.stream(ConfigMutator.Operator.values())
                    .filter(o -> o.label.equals(label)).findFirst().orElseThrow();
            l.add(new java.util.AbstractMap.SimpleEntry<>(op, pairs[i + 1]));
        }
        return l;
    }

    record Case(String id, String group, String operator, String description, Path main) {
    }

    record Outcome(Case c, String keepalived, String javalived) {
        /** Same verdict; a crash, timeout or exception of javalived check (no exit code) never agrees. */
        boolean agree() {
            return isVerdict(keepalived) && isVerdict(javalived) && isReject(keepalived) == isReject(javalived);
        }
    }

    /** An exit code (keepalived's 139/143 crashes included: they are non-zero exits of the oracle). */
    static boolean isVerdict(String code) {
        return code != null && code.matches("\\d+");
    }

    static boolean isReject(String code) {
        return !code.equals("0");
    }

    /** The track file the keyword corpus names (see KeywordCatalog.sampleConfig). */
    static final Path KEYWORD_TRACK_FILE = Path.of("/tmp/javalived-keyword-track");
    static boolean createdTrackFile;
    static CheckNetns ns;
    static Path work;
    static volatile boolean stopKeepalived;

    @BeforeAll
    static void setUp() throws Exception {
        assertThat(Path.of(DEBIAN_SAMPLES)).as("Debian's keepalived package (apt-get install keepalived)").isDirectory();
        ns = CheckNetns.create();
        work = Files.createTempDirectory("jvcfg");
        if (!Files.exists(KEYWORD_TRACK_FILE)) {
            Files.writeString(KEYWORD_TRACK_FILE, "0\n");
            createdTrackFile = true;
        }
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (ns != null) {
            ns.close();
        }
        if (createdTrackFile) {
            Files.deleteIfExists(KEYWORD_TRACK_FILE);
        }
        if (work != null && !Boolean.getBoolean("jvcfg.keep")) {
            try (Stream<Path> s = Files.walk(work)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } else if (work != null) {
            System.out.println("corpus kept in " + work);
        }
    }

    @Test
    void javalivedCheckGivesKeepalivedTsVerdict() throws Exception {
        List<Case> cases = corpus();
        long mutants = cases.stream().filter(c -> c.group.equals("mutant")).count();
        assertThat(mutants).as("generated mutants").isGreaterThanOrEqualTo(MIN_MUTANTS);

        // keepalived -t takes ~50 ms a file on an idle machine; leave room for a loaded one
        long keepalivedBudget = 110 + cases.size() / 4;
        CompletableFuture<Map<Case, String>> k = CompletableFuture.supplyAsync(() -> runKeepalived(cases));
        Map<Path, String> j;
        try {
            j = runJavalived(cases);
        } finally {
            // never leave keepalived runs going into @AfterAll (which deletes the namespace and corpus)
            try {
                k.get(keepalivedBudget, TimeUnit.SECONDS);
            } catch (Exception e) {
                stopKeepalived = true;
            }
        }
        Map<Case, String> kv = k.get(keepalivedBudget, TimeUnit.SECONDS);

        List<Outcome> outcomes = new ArrayList<>();
        for (Case c : cases) {
            outcomes.add(new Outcome(c, kv.get(c), j.getOrDefault(c.main, "NOT_RUN")));
        }
        String report = report(outcomes);
        System.out.println(report);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "keepalived-check-agreement.txt"), report + "\n" + details(outcomes));

        List<String> problems = new ArrayList<>();
        Map<String, Integer> knownHits = new LinkedHashMap<>();
        KNOWN_DIFFERENCES.forEach(d -> knownHits.put(d.name, 0));
        for (Outcome o : outcomes) {
            KnownDifference kd = KNOWN_DIFFERENCES.stream().filter(d -> d.matches(o)).findFirst().orElse(null);
            if (kd != null) {
                knownHits.merge(kd.name, 1, Integer::sum);
                continue;
            }
            if (!o.agree()) {
                problems.add("DISAGREE " + describe(o));
            } else if ((o.keepalived.equals("6") || o.javalived.equals("6")) && !o.keepalived.equals(o.javalived)) {
                problems.add("EXIT CODE (script security must give 6) " + describe(o));
            }
        }
        knownHits.forEach((name, n) -> {
            boolean required = KNOWN_DIFFERENCES.stream().filter(d -> d.name.equals(name)).findFirst()
                    .map(KnownDifference::required).orElse(true);
            if (n == 0 && required) {
                problems.add("STALE known difference '" + name + "': no case shows it any more - remove it from KNOWN_DIFFERENCES");
            }
        });
        assertThat(problems)
                .as("disagreements with keepalived -t that are not named in KNOWN_DIFFERENCES "
                        + "(fix javalived check, or name the difference with the reason javalived is right)")
                .isEmpty();
    }

    // --- corpus ----------------------------------------------------------------------------------

    static List<Case> corpus() throws IOException {
        List<Case> cases = new ArrayList<>();
        ConfigMutator mutator = new ConfigMutator(SEED);
        Map<String, Path> sources = ConfigCorpus.sources();
        long debian = sources.keySet().stream().filter(n -> n.startsWith("debian/")).count();
        assertThat(debian).as("files in " + DEBIAN_SAMPLES).isGreaterThan(0);
        assertThat(sources.size() - debian).as("files in config-samples/").isGreaterThan(0);
        int n = 0;
        List<Case> mutants = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<String> names = new ArrayList<>(sources.keySet());
        for (String name : names) {
            Path src = sources.get(name);
            String group = name.startsWith("debian/") ? "debian-sample" : "config-sample";
            Path dir = work.resolve(String.format("c%03d", n++));
            Files.createDirectories(dir);
            Path main = Files.copy(src, dir.resolve(src.getFileName()));
            cases.add(new Case(name, group, "-", "unmodified", main));
            String text = Files.readString(src, StandardCharsets.ISO_8859_1);
            texts.add(text);
            for (ConfigMutator.Mutant m : mutator.mutate(name, text, MUTANTS_PER_SOURCE)) {
                Path mdir = work.resolve(String.format("c%03d", n++));
                mutants.add(new Case(m.id(), "mutant", m.operator(), m.description(), m.writeTo(mdir)));
            }
        }
        for (int t = 0; t < TARGETED.size(); t++) {
            ConfigMutator.Operator op = TARGETED.get(t).getKey();
            String value = TARGETED.get(t).getValue();
            int made = 0;
            for (int k = 0; k < names.size() && made < TARGETED_SOURCES; k++) {
                int i = (t * 7 + k) % names.size();
                ConfigMutator.Mutant m = mutator.mutate(names.get(i), texts.get(i), op, value);
                if (m != null) {
                    Path mdir = work.resolve(String.format("c%03d", n++));
                    mutants.add(new Case(m.id(), "mutant", m.operator(), m.description(), m.writeTo(mdir)));
                    made++;
                }
            }
        }
        cases.addAll(mutants);
        // the keyword corpus: a file per row of the keyword catalogue (config/KEYWORDS.md)
        for (io.javalived.config.KeywordCatalog.Entry e : io.javalived.config.KeywordCatalog.entries()) {
            Path dir = work.resolve(String.format("k%03d", n++));
            Files.createDirectories(dir);
            Path main = dir.resolve("keepalived.conf");
            Files.writeString(main, io.javalived.config.KeywordCatalog.sampleConfig(e));
            cases.add(new Case("keyword/" + e.block() + "/" + e.keyword() + " [" + e.status().label + "]", "keyword",
                    "-", "keyword " + e.keyword() + " in " + e.block() + " (" + e.status().label + ")", main));
        }
        return cases;
    }

    // --- keepalived -t -----------------------------------------------------------------------------

    /** keepalived -t -f FILE for every case, inside the namespace; output saved to FILE.keepalived.txt. */
    static Map<Case, String> runKeepalived(List<Case> cases) {
        Map<Case, String> out = new HashMap<>();
        Path pids = work.resolve("pids");
        try {
            Files.createDirectories(pids);
            for (Case c : cases) {
                if (stopKeepalived) {
                    break;
                }
                List<String> cmd = ns.exec("keepalived", "-t", "-f", c.main.toString(),
                        "-p", pids.resolve("ka.pid").toString(), "-r", pids.resolve("vrrp.pid").toString(),
                        "-c", pids.resolve("check.pid").toString(), "-b", pids.resolve("bfd.pid").toString());
                Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                        .redirectOutput(Path.of(c.main + ".keepalived.txt").toFile()).start();
                if (!p.waitFor(40, TimeUnit.SECONDS)) { // an include cycle can take long under load
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    out.put(c, "TIMEOUT");
                } else {
                    out.put(c, String.valueOf(p.exitValue()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return out;
    }

    // --- javalived check ---------------------------------------------------------------------------

    /**
     * javalived check on every case in one JVM inside the namespace. If the JVM dies (System.exit in
     * check, or a check timing out) the file it was on gets the JVM's exit code (or TIMEOUT) and a
     * new JVM continues with the rest.
     */
    static Map<Path, String> runJavalived(List<Case> cases) throws IOException, InterruptedException {
        Map<Path, String> results = new HashMap<>();
        List<Path> remaining = cases.stream().map(Case::main).collect(Collectors.toCollection(ArrayList::new));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(100 + cases.size() / 5);
        for (int round = 0; round < 25 && !remaining.isEmpty() && System.nanoTime() < deadline; round++) {
            Path list = work.resolve("driver-files-" + round + ".txt");
            Files.write(list, remaining.stream().map(Path::toString).collect(Collectors.toList()));
            Path err = work.resolve("driver-stderr-" + round + ".txt");
            Process p = new ProcessBuilder(ns.exec(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                    "-cp", cp, JavalivedCheckDriver.class.getName(), list.toString(), System.getProperty("jvcfg.checkTimeout", "20")))
                    .directory(work.toFile()).redirectError(err.toFile()).start();
            String current = null;
            String last = null;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null && System.nanoTime() < deadline) {
                    if (line.startsWith("#start\t")) {
                        current = line.substring(7);
                    } else if (!line.startsWith("#")) {
                        int t = line.lastIndexOf('\t');
                        if (t > 0) {
                            last = line.substring(t + 1);
                            results.put(Path.of(line.substring(0, t)), last);
                            current = null;
                        }
                    }
                }
            }
            if (!p.waitFor(Math.max(1, (deadline - System.nanoTime()) / 1_000_000_000L), TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            if (current != null) {
                // the JVM ended while checking this file: System.exit(code) inside javalived check
                results.put(Path.of(current), p.isAlive() ? "TIMEOUT" : String.valueOf(p.exitValue()));
            }
            remaining.removeIf(results::containsKey);
            if (!remaining.isEmpty() && current == null && !"TIMEOUT".equals(last)) {
                String tail = Files.readString(err);
                throw new IllegalStateException("javalived check driver stopped before " + remaining.get(0)
                        + " (exit " + (p.isAlive() ? "?" : p.exitValue()) + "): "
                        + tail.substring(Math.max(0, tail.length() - 3000)));
            }
        }
        return results;
    }

    // --- report ------------------------------------------------------------------------------------

    static String report(List<Outcome> outcomes) {
        StringBuilder sb = new StringBuilder();
        sb.append("\n=== javalived check vs keepalived -t (Debian 2.2.7): verdict agreement ===\n");
        sb.append(String.format("%-40s %8s %8s %10s %9s%n", "source", "agree", "total", "exit-code", "known"));
        Map<String, List<Outcome>> byGroup = new LinkedHashMap<>();
        Map<String, List<Outcome>> byOperator = new TreeMap<>();
        for (Outcome o : outcomes) {
            byGroup.computeIfAbsent(o.c.group, x -> new ArrayList<>()).add(o);
            if (o.c.group.equals("mutant")) {
                byOperator.computeIfAbsent("  mutant: " + o.c.operator, x -> new ArrayList<>()).add(o);
            }
        }
        byGroup.forEach((g, os) -> sb.append(row(g, os)));
        byOperator.forEach((g, os) -> sb.append(row(g, os)));
        sb.append(row("OVERALL", outcomes));
        long kAccept = outcomes.stream().filter(o -> o.keepalived.equals("0")).count();
        sb.append(String.format("keepalived -t accepted %d of %d; exit codes seen: keepalived %s, javalived %s%n", kAccept,
                outcomes.size(), histogram(outcomes, true), histogram(outcomes, false)));
        return sb.toString();
    }

    private static String row(String g, List<Outcome> os) {
        long agree = os.stream().filter(Outcome::agree).count();
        long exact = os.stream().filter(o -> o.keepalived.equals(o.javalived)).count();
        long known = os.stream().filter(o -> KNOWN_DIFFERENCES.stream().anyMatch(d -> d.matches(o))).count();
        return String.format("%-40s %8d %8d %10d %9d%n", g, agree, os.size(), exact, known);
    }

    private static Map<String, Long> histogram(List<Outcome> os, boolean keepalived) {
        return os.stream().collect(Collectors.groupingBy(o -> keepalived ? o.keepalived : o.javalived, TreeMap::new,
                Collectors.counting()));
    }

    static String details(List<Outcome> outcomes) {
        StringBuilder sb = new StringBuilder("=== every case: keepalived-exit javalived-exit id — description ===\n");
        for (Outcome o : outcomes) {
            sb.append(o.agree() ? "  " : "! ").append(describe(o)).append('\n');
        }
        return sb.toString();
    }

    static String describe(Outcome o) {
        return String.format("keepalived=%s javalived=%s %s — %s%n      file: %s%n      keepalived said: %s%n      javalived said: %s",
                o.keepalived, o.javalived, o.c.id, o.c.description, o.c.main,
                firstLines(Path.of(o.c.main + ".keepalived.txt")), firstLines(Path.of(o.c.main + ".javalived.txt")));
    }

    private static String firstLines(Path p) {
        try {
            if (!Files.exists(p)) {
                return "(nothing)";
            }
            byte[] b = Files.readAllBytes(p);
            String text = new String(b, 0, Math.min(b.length, 64 * 1024), StandardCharsets.UTF_8);
            List<String> l = text.lines().filter(x -> !x.isBlank()).distinct().limit(3).collect(Collectors.toList());
            return l.isEmpty() ? "(nothing)" : String.join(" | ", l);
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
