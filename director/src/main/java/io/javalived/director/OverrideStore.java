package io.javalived.director;

import io.javalived.inet.InetText;
import io.javalived.inet.RealServerKey;
import io.javalived.inet.VirtualServerKey;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operator overrides' state file (default {@code /var/lib/javalived/overrides}): what {@code javalived
 * drain|disable|weight} set, so that it survives a restart. Written atomically (a temporary file in the same
 * directory, fsync, rename), one line per override, tab-separated:
 * <pre>
 * rs	[10.0.0.1]:tcp:80	10.0.0.2:80	draining	-	2026-01-01T00:00:00Z	30000
 * rs	[10.0.0.1]:tcp:80	10.0.0.3:80	none	5	-	-
 * vs	[10.0.0.1]:tcp:81	disabled
 * </pre>
 * (kind, virtual server as keepalived writes it, real server, state, weight override, drain start, drain timeout in
 * ms). Lines starting with # are comments.
 */
public final class OverrideStore {
    private OverrideStore() {
    }

    /** The overrides of a director: per real server, and the disabled virtual servers. */
    public record Overrides(Map<RealServerKey, OperatorOverride> realServers, Set<VirtualServerKey> disabled) {
        public static final Overrides EMPTY = new Overrides(Map.of(), Set.of());

        public Overrides {
            realServers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(realServers));
            disabled = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(disabled));
        }

        public boolean isEmpty() {
            return realServers.isEmpty() && disabled.isEmpty();
        }
    }

    /** The file's text. */
    public static String format(Overrides o) {
        StringBuilder sb = new StringBuilder("# javalived operator overrides (javalived drain|disable|enable|weight);"
                + " written by the daemon - change them with those commands\n");
        for (Map.Entry<RealServerKey, OperatorOverride> e : o.realServers().entrySet()) {
            OperatorOverride v = e.getValue();
            sb.append("rs\t").append(e.getKey().virtualServer()).append('\t')
                    .append(InetText.hostPort(e.getKey().address(), e.getKey().port())).append('\t')
                    .append(v.state().word()).append('\t')
                    .append(v.weight() == null ? "-" : v.weight().toString()).append('\t')
                    .append(v.drainingSince() == null ? "-" : v.drainingSince().toString()).append('\t')
                    .append(v.drainTimeout() == null ? "-" : Long.toString(v.drainTimeout().toMillis()))
                    .append('\n');
        }
        for (VirtualServerKey k : o.disabled()) {
            sb.append("vs\t").append(k).append("\tdisabled\n");
        }
        return sb.toString();
    }

    /**
     * Reads the file's text.
     *
     * @throws IllegalArgumentException naming the line that cannot be read
     */
    public static Overrides parse(String text, String where) {
        Map<RealServerKey, OperatorOverride> rs = new LinkedHashMap<>();
        Set<VirtualServerKey> vs = new LinkedHashSet<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            try {
                if (f[0].equals("vs") && f.length == 3 && f[2].equals("disabled")) {
                    vs.add(VirtualServerKey.parse(f[1]));
                } else if (f[0].equals("rs") && f.length == 7) {
                    InetSocketAddress a = realServer(f[2]);
                    OperatorOverride.State s = OperatorOverride.State.of(f[3]);
                    Integer w = f[4].equals("-") ? null : Integer.valueOf(f[4]);
                    Instant since = f[5].equals("-") ? null : Instant.parse(f[5]);
                    Duration timeout = f[6].equals("-") ? null : Duration.ofMillis(Long.parseLong(f[6]));
                    if (s == OperatorOverride.State.DRAINING && since == null) {
                        throw new IllegalArgumentException("draining without a start time");
                    }
                    rs.put(new RealServerKey(VirtualServerKey.parse(f[1]), a),
                            new OperatorOverride(s, w, since, timeout));
                } else {
                    throw new IllegalArgumentException("expected 'rs VS RS STATE WEIGHT SINCE TIMEOUT' or "
                            + "'vs VS disabled' (tab-separated)");
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(where + ":" + n + ": cannot read the override '"
                        + line.replace('\t', ' ') + "': " + e.getMessage());
            }
        }
        return new Overrides(rs, vs);
    }

    /** Reads the file; a missing file has no overrides. */
    public static Overrides read(Path file) throws IOException {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (NoSuchFileException e) {
            return Overrides.EMPTY;
        }
    }

    /** Writes the file atomically (temporary file, fsync, rename; the directory is created, mode 0755). */
    public static void write(Path file, Overrides o) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp" + ProcessHandle.current().pid());
        try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
             FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            out.write(format(o).getBytes(StandardCharsets.UTF_8));
            out.flush();
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // the rename itself
        } catch (IOException ignored) {
            // not every file system lets a directory be opened
        }
    }

    /**
     * A real server as an operator types it: {@code 10.0.0.2:80}, {@code [2001:db8::2]:80}, also keepalived's
     * {@code [10.0.0.2]:80} and {@code [10.0.0.2]:tcp:80}.
     *
     * @throws IllegalArgumentException naming what was expected
     */
    public static InetSocketAddress realServer(String text) {
        String t = text.trim();
        try {
            int colon = t.lastIndexOf(':');
            int port = Integer.parseInt(t.substring(colon + 1));
            String head = t.substring(0, colon);
            for (String p : new String[] {"]:tcp", "]:udp", "]:sctp"}) {
                if (head.endsWith(p)) {
                    head = head.substring(0, head.length() - p.length() + 1);
                }
            }
            if (port < 0 || port > 65535 || (head.indexOf(':') >= 0 && !head.startsWith("["))) {
                throw new IllegalArgumentException();
            }
            return new InetSocketAddress(InetText.parse(head), port);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a real server: '" + text + "' - give ADDRESS:PORT (e.g. "
                    + "10.0.0.2:80, [2001:db8::2]:80)");
        }
    }

    /** The lines of {@link #format}, for tests. */
    static List<String> lines(Overrides o) {
        return new ArrayList<>(List.of(format(o).split("\n")));
    }
}
