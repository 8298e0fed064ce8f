package io.javalived.inet;

import java.util.Locale;

/** The transport protocol of a virtual service: the config's {@code protocol}, the kernel's IPPROTO_* number. */
public enum Protocol {
    TCP(6), UDP(17), SCTP(132);

    private final int number;
    private final String keyword;

    Protocol(int number) {
        this.number = number;
        this.keyword = name().toLowerCase(Locale.ROOT);
    }

    /** IPPROTO_* number. */
    public int number() {
        return number;
    }

    /** "tcp", "udp", "sctp": as keepalived writes it in {@code [ip]:proto:port}. */
    public String keyword() {
        return keyword;
    }

    public static Protocol of(int number) {
        for (Protocol p : values()) {
            if (p.number == number) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown IPVS protocol " + number);
    }
}
