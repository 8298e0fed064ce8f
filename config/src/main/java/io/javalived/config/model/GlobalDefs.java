package io.javalived.config.model;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code global_defs}, defaults resolved. Fields keepalived defaults to the local host name (router_id,
 * notification_email_from, smtp_helo_name) are empty when not configured: the runtime fills them in.
 */
public record GlobalDefs(
        Optional<String> routerId,
        List<String> notificationEmail,
        Optional<String> notificationEmailFrom,
        Optional<SmtpServer> smtpServer,
        Optional<String> smtpHeloName,
        /** smtp_connect_timeout, default 30 s. */
        Duration smtpConnectTimeout,
        /** smtp_alert; empty when not configured (real servers then default to on, the rest to off). */
        Optional<Boolean> smtpAlert,
        Optional<Boolean> smtpAlertVrrp,
        Optional<Boolean> smtpAlertChecker,
        boolean checkerLogAllFailures,
        Optional<String> scriptUser,
        Optional<String> scriptGroup,
        boolean enableScriptSecurity,
        /** vrrp_version, default 2. */
        int vrrpVersion,
        /** vrrp_mcast_group4, default 224.0.0.18. */
        InetAddress vrrpMcastGroup4,
        /** vrrp_mcast_group6, default ff02::12. */
        InetAddress vrrpMcastGroup6,
        boolean vrrpStrict,
        boolean v3ChecksumAsV2,
        boolean vrrpSkipCheckAdvAddr,
        boolean vrrpCheckUnicastSrc,
        /** vrrp_garp_master_delay, default 5 s (0 = no second burst). */
        Duration vrrpGarpMasterDelay,
        /** vrrp_garp_master_repeat, default 5. */
        int vrrpGarpMasterRepeat,
        /** vrrp_garp_master_refresh, default 0 (off). */
        Duration vrrpGarpMasterRefresh,
        /** vrrp_garp_master_refresh_repeat, default 1. */
        int vrrpGarpMasterRefreshRepeat,
        /** vrrp_garp_lower_prio_delay, default vrrp_garp_master_delay. */
        Duration vrrpGarpLowerPrioDelay,
        /** vrrp_garp_lower_prio_repeat, default vrrp_garp_master_repeat. */
        int vrrpGarpLowerPrioRepeat,
        /** vrrp_garp_interval, default 0. */
        Duration vrrpGarpInterval,
        /** vrrp_gna_interval, default 0. */
        Duration vrrpGnaInterval,
        boolean vrrpMinGarp,
        boolean vrrpNotifyPriorityChanges,
        /** vrrp_startup_delay, default 0. */
        Duration vrrpStartupDelay,
        Optional<String> defaultInterface,
        boolean lvsFlush,
        LvsFlushOnStop lvsFlushOnStop,
        LvsTimeouts lvsTimeouts,
        Optional<LvsSyncDaemon> lvsSyncDaemon,
        boolean dynamicInterfaces,
        Optional<String> netNamespace,
        Optional<String> instanceName,
        /** notify_fifo, vrrp_notify_fifo, lvs_notify_fifo (with their _script). */
        NotifyFifos notifyFifos,
        /**
         * no_checker_emails: a checker mails only when it changes its real server's state (without it, each checker
         * of a real server with several mails its own changes).
         */
        boolean noCheckerEmails) {

    public GlobalDefs {
        notificationEmail = List.copyOf(notificationEmail);
    }

    /**
     * A notify FIFO: its path, the user/group it is created for (keepalived's default: the script user) and the
     * script keepalived starts with the FIFO's path as its last argument.
     */
    public record NotifyFifo(String path, Optional<String> user, Optional<String> group,
                             Optional<NotifyScript> script) {}

    /**
     * The three FIFOs. As keepalived 2.2.7 does (global_data.c), a vrrp or lvs FIFO with the global FIFO's path is
     * dropped (its lines would be written twice) and, when the vrrp and lvs FIFOs share a path and both have a
     * script, the lvs script is dropped.
     */
    public record NotifyFifos(Optional<NotifyFifo> global, Optional<NotifyFifo> vrrp, Optional<NotifyFifo> lvs) {
        public static final NotifyFifos NONE = new NotifyFifos(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** smtp_server: host (address or name) and port (default 25). */
    public record SmtpServer(String host, int port) {}

    /** lvs_flush_on_stop: NONE (not set), ALL (flush), VS (remove each virtual server). */
    public enum LvsFlushOnStop { NONE, ALL, VS }

    /** lvs_timeouts: each empty when not set (left as the kernel has it). */
    public record LvsTimeouts(Optional<Duration> tcp, Optional<Duration> tcpFin, Optional<Duration> udp) {
        public static final LvsTimeouts UNSET = new LvsTimeouts(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** lvs_sync_daemon INTERFACE [inst VRRP_INSTANCE] [id N] [maxlen N] [port N] [ttl N] [group ADDR]. */
    public record LvsSyncDaemon(String interfaceName, Optional<String> vrrpInstance, Optional<Integer> syncId,
                                Optional<Integer> maxLen, int port, Optional<Integer> ttl,
                                Optional<InetAddress> group) {}
}
