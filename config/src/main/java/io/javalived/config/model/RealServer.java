package io.javalived.config.model;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * {@code real_server ADDR [PORT]}, defaults resolved: weight 1, lvs_method and inhibit_on_failure from the
 * virtual server, port = the virtual server's when omitted. Checkers carry their effective settings.
 */
public record RealServer(
        InetAddress address,
        int port,
        int weight,
        LvsMethod lvsMethod,
        /** TUN only: encapsulation (IPIP otherwise). */
        Tunnel tunnel,
        boolean inhibitOnFailure,
        Optional<NotifyScript> notifyUp,
        Optional<NotifyScript> notifyDown,
        /** uthreshold (0 = no limit). */
        int uthreshold,
        /** lthreshold (0 = none). */
        int lthreshold,
        Optional<String> virtualhost,
        boolean alpha,
        /**
         * smtp_alert, else global smtp_alert_checker, else global smtp_alert, else on (keepalived 2.2.7: not taken from
         * the virtual server).
         */
        boolean smtpAlert,
        List<CheckerConfig> checkers,
        Origin origin) {

    public RealServer {
        checkers = List.copyOf(checkers);
    }

    /** {@code [ADDR]:PORT} as keepalived logs a real server. */
    public String displayName() {
        return io.javalived.inet.InetText.pair(address, port);
    }
}
