package io.javalived.director;

/**
 * The subjects and bodies of keepalived 2.2.7's checker and virtual server mails (core/smtp.c formats the subject,
 * each check_*.c and ipwrapper.c choose the body). Pure text; the {@code [router_id] } prefix is added by the sender.
 */
public final class SmtpAlerts {
    /** The body of a real server's or virtual server's mail at shutdown (omega). */
    public static final String SHUTTING_DOWN = "=> Shutting down <=";

    private SmtpAlerts() {}

    /** {@code Realserver [10.0.0.2]:tcp:80 of virtual server [10.0.0.100]:tcp:80 - UP}. */
    public static String realServerSubject(String rs, String vs, boolean up) {
        return "Realserver " + rs + " of virtual server " + vs + " - " + (up ? "UP" : "DOWN");
    }

    /** {@code Virtualserver [10.0.0.100]:tcp:80 - DOWN}. */
    public static String virtualServerSubject(String vs, boolean up) {
        return "Virtualserver " + vs + " - " + (up ? "UP" : "DOWN");
    }

    /**
     * {@code => Lost quorum 3+1=2 <= 1 <=}: keepalived writes quorum+hysteresis=threshold whatever the threshold
     * (quorum - hysteresis when quorum is lost).
     */
    public static String quorumBody(String what, int quorum, int hysteresis, long threshold, long weightSum) {
        return "=> " + what + " " + quorum + "+" + hysteresis + "=" + threshold + " <= " + weightSum + " <=";
    }

    /**
     * The body a checker writes when it changes the real server's state; {@code checker} is its keyword, optionally
     * followed by its target ({@code TCP_CHECK [10.0.0.2]:tcp:80}). Null for checkers that send no mail (FILE_CHECK)
     * and for an unknown checker.
     */
    public static String checkerBody(String checker, boolean up, boolean timedOut) {
        String keyword = checker == null ? "" : checker.strip().split("\\s+", 2)[0];
        String ok = up ? "succeed" : "failed";
        return switch (keyword) {
            case "TCP_CHECK" -> "=> TCP CHECK " + ok + " on service <=";
            case "UDP_CHECK" -> "=> UDP CHECK " + ok + " on service <=";
            case "PING_CHECK" -> "=> ICMP CHECK " + ok + " on service <=";
            case "DNS_CHECK" -> "=> DNS_CHECK: " + ok + " on service <=";
            case "HTTP_GET", "SSL_GET" -> up ? "=> CHECK succeed on service <="
                    : "=> CHECK failed on service : HTTP request failed <=";
            case "SMTP_CHECK" -> "=> CHECK " + ok + " on service <=";
            case "MISC_CHECK" -> "=> MISC CHECK " + (up ? "succeeded" : timedOut ? "timed out" : "failed")
                    + " on service <=";
            default -> null;
        };
    }
}
