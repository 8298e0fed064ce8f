package io.javalived.inet;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The one home of address text: what glibc's inet_ntop writes (what keepalived and ipvsadm print), the host:port
 * forms, keepalived's {@code [ip]:port} and {@code [ip]:proto:port}, and the numeric parse. Log lines, status and
 * ipvsadm-style output all go through here.
 */
public final class InetText {
    private InetText() {
    }

    /** "10.0.0.1", "2001:db8::1", "::ffff:10.0.0.1" — the inet_ntop form, without an IPv6 zone. */
    public static String ntop(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 4) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        return ntop6(b);
    }

    /** RFC 5952-style compression as glibc does it: the longest run (≥ 2) of zero words, the first on a tie. */
    static String ntop6(byte[] b) {
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestBase = -1, bestLen = 0, curBase = -1, curLen = 0;
        for (int i = 0; i < 8; i++) {
            if (w[i] == 0) {
                if (curBase < 0) {
                    curBase = i;
                    curLen = 1;
                } else {
                    curLen++;
                }
            } else if (curBase >= 0) {
                if (curLen > bestLen) {
                    bestBase = curBase;
                    bestLen = curLen;
                }
                curBase = -1;
            }
        }
        if (curBase >= 0 && curLen > bestLen) {
            bestBase = curBase;
            bestLen = curLen;
        }
        if (bestLen < 2) {
            bestBase = -1;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
                if (i == bestBase) {
                    sb.append(':');
                }
                continue;
            }
            if (i != 0) {
                sb.append(':');
            }
            // an embedded IPv4 address: ::a.b.c.d (compat) or ::ffff:a.b.c.d (mapped)
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xffff))) {
                sb.append(b[12] & 0xff).append('.').append(b[13] & 0xff).append('.').append(b[14] & 0xff)
                        .append('.').append(b[15] & 0xff);
                break;
            }
            sb.append(Integer.toHexString(w[i]));
        }
        if (bestBase >= 0 && bestBase + bestLen == 8) {
            sb.append(':');
        }
        return sb.toString();
    }

    /** {@link #ntop} plus the IPv6 zone when the address has one ({@code fe80::1%eth0}). */
    public static String ip(InetAddress a) {
        String s = ntop(a);
        if (a instanceof Inet6Address) {
            String h = a.getHostAddress();
            int pct = h.indexOf('%');
            if (pct >= 0) {
                return s + h.substring(pct);
            }
        }
        return s;
    }

    /** "10.0.0.1:80" or "[2001:db8::1]:80": an address and port as URLs, ipvsadm and status write them. */
    public static String hostPort(InetAddress a, int port) {
        String h = ip(a);
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + port;
    }

    /** keepalived's inet_sockaddrtopair: {@code [10.0.0.2]:80}. */
    public static String pair(InetAddress a, int port) {
        return "[" + ip(a) + "]:" + port;
    }

    /** keepalived 2.2's inet_sockaddrtotrio: {@code [10.0.0.2]:tcp:80} (protocol in lower case). */
    public static String trio(InetAddress a, String protocol, int port) {
        return "[" + ip(a) + "]:" + protocol + ":" + port;
    }

    /** Parses a numeric address literal (no DNS): "10.0.0.1", "2001:db8::1", "[2001:db8::1]". */
    public static InetAddress parse(String s) {
        String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        if (t.isEmpty() || !(t.indexOf(':') >= 0 || t.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
            throw new IllegalArgumentException("not a numeric IP address: " + s);
        }
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a numeric IP address: " + s);
        }
    }
}
