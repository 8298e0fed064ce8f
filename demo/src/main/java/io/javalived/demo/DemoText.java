package io.javalived.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The demo's pure text handling: what it reads from ip(8), HTTP answers and daemon logs, and how it indents. */
final class DemoText {
    private DemoText() {
    }

    private static final Pattern LLADDR = Pattern.compile("\\blladdr\\s+([0-9a-fA-F:]{17})");
    private static final Pattern ETHER = Pattern.compile("\\blink/ether\\s+([0-9a-fA-F:]{17})");

    /** The MAC of {@code ip neigh show ADDR} output, or null when there is no usable entry (none, FAILED, INCOMPLETE). */
    static String neighbourMac(String ipNeighOutput) {
        for (String line : ipNeighOutput.split("\n")) {
            Matcher m = LLADDR.matcher(line);
            if (m.find() && !line.contains("FAILED") && !line.contains("INCOMPLETE")) {
                return m.group(1).toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    /** The MAC of {@code ip link show DEV} output, or null. */
    static String linkMac(String ipLinkOutput) {
        Matcher m = ETHER.matcher(ipLinkOutput);
        return m.find() ? m.group(1).toLowerCase(Locale.ROOT) : null;
    }

    /** Whether {@code ip -o addr show} output lists {@code address} (any prefix length). */
    static boolean hasAddress(String ipAddrOutput, String address) {
        return Pattern.compile("\\binet6?\\s+" + Pattern.quote(address) + "/\\d+\\b").matcher(ipAddrOutput).find();
    }

    /**
     * The first line of an HTTP answer's body ({@code backend 1}); {@code HTTP 503} for another status than 200;
     * a description of a malformed answer.
     */
    static String httpBody(String response) {
        int end = response.indexOf("\r\n\r\n");
        int sep = 4;
        if (end < 0) {
            end = response.indexOf("\n\n");
            sep = 2;
        }
        if (end < 0) {
            return response.isEmpty() ? "empty answer" : "malformed answer";
        }
        String status = response.substring(0, Math.max(0, response.indexOf('\n'))).trim();
        String[] parts = status.split(" ");
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            return "malformed answer";
        }
        if (!parts[1].equals("200")) {
            return "HTTP " + parts[1];
        }
        String body = response.substring(end + sep).strip();
        int nl = body.indexOf('\n');
        return nl < 0 ? body : body.substring(0, nl).strip();
    }

    /** keepalived's line for a VRRP instance entering {@code state}, e.g. {@code (VI_1) Entering MASTER STATE}. */
    static boolean entersState(String logLine, String instance, String state) {
        return logLine.contains("(" + instance + ") Entering " + state + " STATE");
    }

    /** keepalived's {@code Removing service [RS]:tcp:PORT from VS [VIP]:tcp:PORT}. */
    static boolean removesService(String logLine, String rs, int rsPort, String vip, int vsPort) {
        return logLine.contains("Removing service [" + rs + "]:tcp:" + rsPort + " from VS [" + vip + "]:tcp:" + vsPort);
    }

    /** The lines of {@code log} from {@code from} (a character offset) on that satisfy {@code match}. */
    static List<String> lines(String log, int from, java.util.function.Predicate<String> match) {
        List<String> out = new ArrayList<>();
        for (String l : log.substring(Math.min(from, log.length())).split("\n")) {
            if (!l.isBlank() && match.test(l)) {
                out.add(l);
            }
        }
        return out;
    }

    /** Indents every line of {@code text} by {@code n} spaces (no trailing newline). */
    static String indent(String text, int n) {
        String pad = " ".repeat(n);
        StringBuilder sb = new StringBuilder();
        for (String l : text.strip().split("\n", -1)) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(l.isEmpty() ? "" : pad + l);
        }
        return sb.toString();
    }

    /**
     * The body of an {@code ipvs} answer from a daemon's status socket ({@code ipvs MODE} then ipvsadm -Ln's
     * listing): the listing, or null when the daemon has IPVS off.
     */
    static String ipvsListing(String answer) {
        int nl = answer.indexOf('\n');
        String head = nl < 0 ? answer.trim() : answer.substring(0, nl).trim();
        if (!head.startsWith("ipvs ") || head.equals("ipvs off")) {
            return null;
        }
        return nl < 0 ? "" : answer.substring(nl + 1);
    }
}
