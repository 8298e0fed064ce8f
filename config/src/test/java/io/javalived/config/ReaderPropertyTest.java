package io.javalived.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: whatever the input — random bytes, random token soup, or real configurations (Debian's samples and
 * config-samples/) mutated at random — the reader either returns a result or throws {@link ConfigException}
 * naming a file and a line within it; never any other exception, never a hang. Deterministic (fixed seed);
 * a failure prints the seed-derived case number and writes the input to target/.
 */
class ReaderPropertyTest {
    static final long SEED = 0x6a61766131L;
    static final int CASES = 12_000;

    static final String[] VOCAB = {
        "global_defs", "vrrp_instance", "vrrp_script", "vrrp_sync_group", "virtual_server", "virtual_server_group",
        "real_server", "TCP_CHECK", "HTTP_GET", "SSL_GET", "MISC_CHECK", "DNS_CHECK", "UDP_CHECK", "FILE_CHECK",
        "PING_CHECK", "SMTP_CHECK", "url", "path", "digest", "status_code", "state", "MASTER", "BACKUP",
        "interface", "eth0", "virtual_router_id", "priority", "advert_int", "virtual_ipaddress", "track_script",
        "track_interface", "unicast_peer", "authentication", "auth_type", "auth_pass", "PASS", "AH", "weight",
        "lb_algo", "lb_kind", "rr", "wlc", "NAT", "DR", "TUN", "protocol", "TCP", "UDP", "delay_loop", "quorum",
        "sorry_server", "persistence_timeout", "group", "fwmark", "include", "includea", "notify_master",
        "script", "interval", "fall", "rise", "{", "}", "{", "}", "\"", "'", "\\", "#", "!", "$X=", "$X", "${X}",
        "@node", "@^node", "~SEQ(i,1,3)", "10.0.0.1", "10.0.0.1/24", "fe80::1", "2001:db8::/64", "255", "256",
        "0", "-1", "1.5", "0x10", "99999999999999999999", "dev", "brd", "label", "scope", "link", "\t", "\r",
        "connect_ip", "connect_port", "connect_timeout", "retry", "payload", "require_reply", "track_file",
        "static_routes", "virtual_routes", "via", "src", "table", "nopreempt", "enable_script_security",
        "script_user", "root", "vrrp_strict", "vrrp_version", "3", "lvs_timeouts", "tcp", "lvs_flush_on_stop"};

    @Test
    void readerNeverThrowsAnythingButConfigExceptionWithFileAndLine(@TempDir Path dir) throws IOException {
        List<String> corpus = corpus();
        assertThat(corpus).as("seed configurations").hasSizeGreaterThan(5);
        // a couple of real files for include mutations to find
        Files.writeString(dir.resolve("other.conf"), corpus.get(0));
        Files.writeString(dir.resolve("loop.conf"), "include loop.conf\n");
        Files.createDirectories(dir.resolve("conf.d"));
        Files.writeString(dir.resolve("conf.d/x.conf"), "vrrp_script s {\n script /bin/true\n}\n");
        Path virtual = dir.resolve("keepalived.conf");
        Random rnd = new Random(SEED);
        int accepted = 0;
        int rejected = 0;
        int[] kinds = new int[3];
        long start = System.nanoTime();
        for (int n = 0; n < CASES; n++) {
            int kind = n % 3;
            kinds[kind]++;
            String text = switch (kind) {
                case 0 -> randomBytes(rnd);
                case 1 -> tokenSoup(rnd);
                default -> mutate(rnd, corpus.get(rnd.nextInt(corpus.size())));
            };
            try {
                ConfigResult r = KeepalivedConfigReader.read(text, virtual, "node");
                assertThat(r.config()).isNotNull();
                for (ConfigWarning w : r.warnings()) {
                    assertThat(w.file()).isNotNull();
                    assertThat(w.line()).isGreaterThanOrEqualTo(0);
                }
                accepted++;
            } catch (ConfigException e) {
                rejected++;
                checkLocated(e, text, virtual, dir, n);
                for (Throwable s : e.getSuppressed()) {
                    assertThat(s).isInstanceOf(ConfigException.class);
                    checkLocated((ConfigException) s, text, virtual, dir, n);
                }
            } catch (Throwable t) {
                Path saved = save(n, text);
                throw new AssertionError("case " + n + " (input saved in " + saved + ") threw " + t, t);
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("ReaderPropertyTest: %d inputs (%d random bytes, %d token soup, %d mutated configs from %d "
                        + "seeds): %d accepted, %d rejected with ConfigException, none thrown otherwise, %.1f s%n",
                CASES, kinds[0], kinds[1], kinds[2], corpus.size(), accepted, rejected, secs);
        assertThat(accepted + rejected).isEqualTo(CASES);
        assertThat(CASES).isGreaterThanOrEqualTo(10_000);
    }

    private static void checkLocated(ConfigException e, String text, Path virtual, Path dir, int n) {
        String ctx = "case " + n + ": " + e.getMessage();
        assertThat(e.file()).as(ctx).isNotNull();
        assertThat(e.line()).as(ctx).isGreaterThanOrEqualTo(0);
        assertThat(e.reason()).as(ctx).isNotBlank();
        assertThat(e.getMessage()).as(ctx).startsWith(e.file() + ":" + e.line() + ": ");
        if (e.file().equals(virtual)) {
            long lines = text.split("\r?\n|\r", -1).length;
            assertThat((long) e.line()).as(ctx).isLessThanOrEqualTo(lines);
        } else {
            assertThat(e.file().toAbsolutePath().startsWith(dir) || e.file().isAbsolute()).as(ctx).isTrue();
        }
    }

    private static Path save(int n, String text) {
        try {
            Path p = Path.of("target", "reader-property-case-" + n + ".conf");
            Files.createDirectories(p.getParent());
            Files.writeString(p, text, StandardCharsets.UTF_8);
            return p;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static List<String> corpus() throws IOException {
        List<String> out = new ArrayList<>();
        out.add(KeepalivedConfigReaderTest.VI);
        out.add(KeepalivedConfigReaderTest.VS);
        out.add(KeepalivedConfigReaderTest.VI + KeepalivedConfigReaderTest.VS);
        for (Path d : List.of(Path.of("/usr/share/doc/keepalived/samples"), Path.of("../config-samples"),
                Path.of("config-samples"))) {
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> s = Files.list(d)) {
                for (Path p : s.sorted().toList()) {
                    if (Files.isRegularFile(p) && !p.toString().matches(".*\\.(gz|sh|md)$") && Files.size(p) < 100_000) {
                        out.add(Files.readString(p, StandardCharsets.ISO_8859_1));
                    }
                }
            }
        }
        return out;
    }

    static String randomBytes(Random rnd) {
        byte[] b = new byte[rnd.nextInt(1500)];
        rnd.nextBytes(b);
        if (rnd.nextBoolean()) {
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (b[i] & 0x7f); // ASCII
            }
        }
        return ConfigLexer.decode(b);
    }

    static String tokenSoup(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int tokens = rnd.nextInt(300);
        for (int i = 0; i < tokens; i++) {
            sb.append(VOCAB[rnd.nextInt(VOCAB.length)]);
            int sep = rnd.nextInt(10);
            sb.append(sep < 6 ? " " : sep < 9 ? "\n" : "");
        }
        return sb.toString();
    }

    static String mutate(Random rnd, String text) {
        StringBuilder sb = new StringBuilder(text);
        int edits = 1 + rnd.nextInt(4);
        for (int e = 0; e < edits && sb.length() > 0; e++) {
            int pos = rnd.nextInt(sb.length() + 1);
            switch (rnd.nextInt(12)) {
                case 0 -> sb.deleteCharAt(Math.min(pos, sb.length() - 1));
                case 1 -> sb.insert(pos, (char) (32 + rnd.nextInt(95)));
                case 2 -> sb.insert(pos, " " + VOCAB[rnd.nextInt(VOCAB.length)] + " ");
                case 3 -> {
                    int end = Math.min(sb.length(), pos + rnd.nextInt(200));
                    sb.delete(Math.min(pos, end), end);
                }
                case 4 -> {
                    int end = Math.min(sb.length(), pos + rnd.nextInt(300));
                    String chunk = sb.substring(Math.min(pos, end), end);
                    sb.insert(rnd.nextInt(sb.length() + 1), chunk);
                }
                case 5 -> sb.setLength(pos); // truncate
                case 6 -> sb.insert(pos, "\ninclude " + List.of("other.conf", "loop.conf", "keepalived.conf",
                        "conf.d/*.conf", "missing.conf", "{a,b}*.conf", "/proc/self/nonexistent", "[")
                        .get(rnd.nextInt(8)) + "\n");
                case 7 -> sb.insert(pos, "\n$X=" + VOCAB[rnd.nextInt(VOCAB.length)] + (rnd.nextBoolean() ? " \\" : "") + "\n");
                case 8 -> sb.insert(pos, rnd.nextBoolean() ? "{" : "}");
                case 9 -> sb.insert(pos, String.valueOf(rnd.nextLong()));
                case 10 -> sb.insert(pos, rnd.nextBoolean() ? "\"" : "\\");
                default -> sb.insert(pos, "\n@" + (rnd.nextBoolean() ? "^" : "") + "node ");
            }
        }
        return sb.toString();
    }
}
