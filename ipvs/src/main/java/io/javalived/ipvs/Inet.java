package io.javalived.ipvs;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** Address helpers: text exactly as glibc's inet_ntop writes it (what ipvsadm prints). */
public final class Inet {
    private Inet() {
    }

    /** "10.0.0.1", "2001:db8::1", "::ffff:10.0.0.1" — the inet_ntop form. */
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

    /** "10.0.0.1:80" or "[2001:db8::1]:80". */
    public static String addrPort(InetAddress a, int port) {
        return (a instanceof Inet6Address ? "[" + ntop(a) + "]" : ntop(a)) + ":" + port;
    }

    /** A 4- or 16-byte address; the kernel sends 16 bytes (union nf_inet_addr) for both families. */
    public static InetAddress fromKernel(byte[] raw, int af) {
        try {
            if (af == Ipvs.AF_INET) {
                return InetAddress.getByAddress(Arrays.copyOf(raw, 4));
            }
            byte[] a = Arrays.copyOf(raw, 16);
            return Inet6Address.getByAddress(null, a, null);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
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

    public static int af(InetAddress a) {
        return a instanceof Inet4Address ? Ipvs.AF_INET : Ipvs.AF_INET6;
    }

    /** Unsigned 32-bit big-endian value of an IPv4 address, or of word {@code i} of an IPv6 one. */
    static long word(InetAddress a, int i) {
        byte[] b = a.getAddress();
        int o = 4 * i;
        if (o + 4 > b.length) {
            return 0;
        }
        return ((long) (b[o] & 0xff) << 24) | ((b[o + 1] & 0xff) << 16) | ((b[o + 2] & 0xff) << 8) | (b[o + 3] & 0xff);
    }
}
