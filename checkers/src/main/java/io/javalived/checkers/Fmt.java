package io.javalived.checkers;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** keepalived's address formats. */
public final class Fmt {
    private Fmt() {}

    /** The bare address as inet_ntop prints it (no brackets, no scope for IPv6 unless set). */
    public static String ip(InetAddress a) {
        String s = a.getHostAddress();
        if (a instanceof java.net.Inet6Address) {
            try {
                // Compress the IPv6 form the way inet_ntop does.
                return compress6(a.getAddress()) + (s.contains("%") ? s.substring(s.indexOf('%')) : "");
            } catch (RuntimeException e) {
                return s;
            }
        }
        return s;
    }

    /** keepalived 2.2's inet_sockaddrtotrio: {@code [10.0.0.2]:tcp:80}. */
    public static String trio(InetSocketAddress a, String proto) {
        return "[" + ip(a.getAddress()) + "]:" + proto + ":" + a.getPort();
    }

    /** keepalived's inet_sockaddrtopair: {@code [10.0.0.2]:80}. */
    public static String pair(InetSocketAddress a) {
        return "[" + ip(a.getAddress()) + "]:" + a.getPort();
    }

    static String compress6(byte[] b) {
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) w[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && w[j] == 0) j++;
            if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(w[i]));
        }
        return sb.toString();
    }
}
