package io.javalived.config;

import java.math.BigDecimal;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;

/** keepalived's value syntax: numbers, timers, booleans, addresses. Pure; no name resolution. */
final class Values {
    private Values() {}

    /** Thrown by the parsers; the builder adds file, line and keyword. */
    static final class BadValue extends Exception {
        private static final long serialVersionUID = 1L;

        BadValue(String message) {
            super(message, null, false, false);
        }
    }

    /** A decimal integer as keepalived reads it (optional sign, leading zeros allowed), within [min, max]. */
    static long parseLong(String s, long min, long max) throws BadValue {
        if (s.isEmpty()) {
            s = "0"; // keepalived reads an empty quoted string "" as 0
        }
        int i = 0;
        if (s.charAt(0) == '+' || s.charAt(0) == '-') {
            i = 1;
        }
        if (i == s.length()) {
            throw new BadValue("invalid number '" + s + "'");
        }
        for (int k = i; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') {
                throw new BadValue("invalid number '" + s + "'");
            }
        }
        long v;
        try {
            v = new BigDecimal(s).longValueExact();
        } catch (ArithmeticException e) {
            throw new BadValue("number '" + s + "' outside range [" + min + ", " + max + "]");
        }
        if (v < min || v > max) {
            throw new BadValue("number '" + s + "' outside range [" + min + ", " + max + "]");
        }
        return v;
    }

    static int parseInt(String s, int min, int max) throws BadValue {
        return (int) parseLong(s, min, max);
    }

    /** A decimal number of seconds (fractions allowed, microsecond resolution) within [min, max] seconds. */
    static Duration parseTimer(String s, double min, double max) throws BadValue {
        BigDecimal d = parseDecimal(s);
        if (d.compareTo(BigDecimal.valueOf(min)) < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw new BadValue("number '" + s + "' outside range [" + fmt(min) + ", " + fmt(max) + "]");
        }
        long micros = d.movePointRight(6).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
        return Duration.ofNanos(micros * 1000);
    }

    static BigDecimal parseDecimal(String s) throws BadValue {
        if (s.isEmpty()) {
            s = "0"; // keepalived reads an empty quoted string "" as 0
        }
        if (s.length() > 40) {
            throw new BadValue("invalid number '" + s + "'");
        }
        int i = 0;
        if (s.charAt(0) == '+' || s.charAt(0) == '-') {
            i = 1;
        }
        boolean digits = false;
        boolean dot = false;
        for (int k = i; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c >= '0' && c <= '9') {
                digits = true;
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                throw new BadValue("invalid number '" + s + "'");
            }
        }
        if (!digits) {
            throw new BadValue("invalid number '" + s + "'");
        }
        return new BigDecimal(s.startsWith("+") ? s.substring(1) : s);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /** on|off|true|false|yes|no (case-insensitive). */
    static boolean parseBool(String s) throws BadValue {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes":
                return true;
            case "off", "false", "no":
                return false;
            default:
                throw new BadValue("invalid boolean '" + s + "' (use on|off|true|false|yes|no)");
        }
    }

    /** An IPv4 or IPv6 literal; never a host name. */
    static InetAddress parseAddress(String s) throws BadValue {
        InetAddress a = tryAddress(s);
        if (a == null) {
            throw new BadValue("invalid IP address '" + s + "'");
        }
        return a;
    }

    static InetAddress tryAddress(String s) {
        if (s.indexOf(':') >= 0) {
            return parseIpv6(s);
        }
        byte[] b = parseIpv4(s);
        if (b == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    static byte[] parseIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || p.length() > 1 && p.charAt(0) == '0') {
                return null; // inet_pton: no leading zeros
            }
            int v = 0;
            for (int k = 0; k < p.length(); k++) {
                char c = p.charAt(k);
                if (c < '0' || c > '9') {
                    return null;
                }
                v = v * 10 + (c - '0');
            }
            if (v > 255) {
                return null;
            }
            b[i] = (byte) v;
        }
        return b;
    }

    private static InetAddress parseIpv6(String s) {
        if (s.length() > 45 || s.isEmpty()) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.';
            if (!ok) {
                return null;
            }
        }
        int dc = s.indexOf("::");
        if (dc >= 0 && s.indexOf("::", dc + 1) >= 0) {
            return null;
        }
        if (s.contains(":::")) {
            return null;
        }
        // embedded IPv4 tail must be a valid dotted quad
        int lastColon = s.lastIndexOf(':');
        String tail = s.substring(lastColon + 1);
        if (tail.indexOf('.') >= 0 && parseIpv4(tail) == null) {
            return null;
        }
        if (s.substring(0, lastColon + 1).indexOf('.') >= 0) {
            return null;
        }
        try {
            InetAddress a = InetAddress.getByName("[" + s + "]");
            return a;
        } catch (UnknownHostException | RuntimeException e) {
            return null;
        }
    }

    /** inet_aton(3) forms: a, a.b, a.b.c, a.b.c.d with decimal, 0octal or 0xhex parts (as getaddrinfo takes). */
    static boolean inetAton(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length < 1 || parts.length > 4) {
            return false;
        }
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            long v;
            try {
                if (p.startsWith("0x") || p.startsWith("0X")) {
                    v = Long.parseLong(p.substring(2), 16);
                } else if (p.length() > 1 && p.startsWith("0")) {
                    v = Long.parseLong(p.substring(1), 8);
                } else {
                    v = Long.parseLong(p);
                }
            } catch (NumberFormatException e) {
                return false;
            }
            if (p.isEmpty() || p.startsWith("+") || p.startsWith("-") || v < 0) {
                return false;
            }
            long max = i < parts.length - 1 ? 255 : (1L << (8 * (5 - parts.length))) - 1;
            if (v > max) {
                return false;
            }
        }
        return true;
    }

    static boolean isV6(InetAddress a) {
        return a instanceof Inet6Address;
    }

    static boolean isV4(InetAddress a) {
        return a instanceof Inet4Address;
    }

    /** A port number 0..65535. */
    static int parsePort(String s) throws BadValue {
        try {
            return parseInt(s, 0, 65535);
        } catch (BadValue e) {
            throw new BadValue("invalid port '" + s + "' (0..65535)");
        }
    }
}
