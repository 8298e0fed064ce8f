package io.javalived.config;

import io.javalived.config.model.GlobalDefs;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** global_defs (keepalived's global_parser.c): its keywords, defaults and checks. */
final class GlobalDefsParser extends BlockParser {
    private final GlobalDraft draft = new GlobalDraft();

    GlobalDefsParser(ParseContext cx) {
        super(cx);
    }

    /** The global_defs read so far, with keepalived's defaults. */
    GlobalDefs build() {
        return draft.build();
    }

    private static final Set<String> GLOBAL_IGNORED = Set.of(
            "tmp_config_directory", "config_save_dir", "process_names", "process_name", "vrrp_process_name",
            "checker_process_name", "bfd_process_name", "startup_script", "startup_script_timeout",
            "shutdown_script", "shutdown_script_timeout", "no_email_faults", "vrrp_garp_extra_if",
            "vrrp_down_timer_adverts", "vrrp_lower_prio_no_advert", "vrrp_higher_prio_send_advert",
            "nftables", "nftables_priority", "nftables_ipvs", "nftables_ipvs_priority", "nftables_ipvs_start_fwmark",
            "nftables_counters", "nftables_ifindex", "vrrp_iptables", "vrrp_ipsets", "max_auto_priority",
            "min_auto_priority_delay", "vrrp_priority", "checker_priority", "bfd_priority", "vrrp_no_swap",
            "checker_no_swap", "bfd_no_swap", "vrrp_cpu_affinity", "checker_cpu_affinity", "bfd_cpu_affinity",
            "vrrp_rt_priority", "checker_rt_priority", "bfd_rt_priority", "vrrp_rlimit_rttime",
            "checker_rlimit_rttime", "bfd_rlimit_rttime", "snmp_socket", "enable_snmp_vrrp", "enable_snmp_checker",
            "enable_snmp_rfc", "enable_snmp_rfcv2", "enable_snmp_rfcv3", "enable_traps", "enable_dbus",
            "dbus_service_name", "vrrp_netlink_cmd_rcv_bufs",
            "vrrp_netlink_cmd_rcv_bufs_force", "vrrp_netlink_monitor_rcv_bufs", "vrrp_netlink_monitor_rcv_bufs_force",
            "lvs_netlink_cmd_rcv_bufs", "lvs_netlink_cmd_rcv_bufs_force", "lvs_netlink_monitor_rcv_bufs",
            "lvs_netlink_monitor_rcv_bufs_force", "process_monitor_rcv_bufs", "process_monitor_rcv_bufs_force",
            "vrrp_rx_bufs_policy", "vrrp_rx_bufs_multiplier", "umask", "vmac_prefix", "vmac_addr_prefix",
            "random_seed", "reload_check_config", "include_check", "reload_time_file", "reload_repeat",
            "reload_file", "data_use_instance", "log_unknown_vrids", "fifo_write_vrrp_states_on_reload",
            "rs_init_notifies", "disable_local_igmp");

    /** Mutable global_defs while reading. */
    private static final class GlobalDraft {
        Optional<String> routerId = Optional.empty();
        List<String> emails = new ArrayList<>();
        Optional<String> emailFrom = Optional.empty();
        Optional<GlobalDefs.SmtpServer> smtpServer = Optional.empty();
        Optional<String> heloName = Optional.empty();
        Duration smtpConnectTimeout = Duration.ofSeconds(30);
        Optional<Boolean> smtpAlert = Optional.empty();
        Optional<Boolean> smtpAlertVrrp = Optional.empty();
        Optional<Boolean> smtpAlertChecker = Optional.empty();
        boolean checkerLogAllFailures;
        boolean noCheckerEmails;
        Optional<String> scriptUser = Optional.empty();
        Optional<String> scriptGroup = Optional.empty();
        boolean enableScriptSecurity;
        int vrrpVersion = 2;
        InetAddress mcast4 = addr("224.0.0.18");
        InetAddress mcast6 = addr("ff02::12");
        boolean vrrpStrict;
        boolean v3ChecksumAsV2;
        boolean skipCheckAdvAddr;
        boolean checkUnicastSrc;
        Duration garpMasterDelay = Duration.ofSeconds(5);
        int garpMasterRepeat = 5;
        Duration garpMasterRefresh = Duration.ZERO;
        int garpMasterRefreshRepeat = 1;
        Duration garpLowerPrioDelay;
        Integer garpLowerPrioRepeat;
        Duration garpInterval = Duration.ZERO;
        Duration gnaInterval = Duration.ZERO;
        boolean minGarp;
        boolean notifyPriorityChanges;
        Duration startupDelay = Duration.ZERO;
        Optional<String> defaultInterface = Optional.empty();
        boolean lvsFlush;
        GlobalDefs.LvsFlushOnStop flushOnStop = GlobalDefs.LvsFlushOnStop.NONE;
        GlobalDefs.LvsTimeouts lvsTimeouts = GlobalDefs.LvsTimeouts.UNSET;
        Optional<GlobalDefs.LvsSyncDaemon> syncDaemon = Optional.empty();
        boolean dynamicInterfaces;
        Optional<String> netNamespace = Optional.empty();
        Optional<String> instanceName = Optional.empty();
        /** global, vrrp_, lvs_: path, user, group (null: not set). */
        final String[][] fifos = new String[3][];
        @SuppressWarnings("unchecked")
        final Optional<io.javalived.config.model.NotifyScript>[] fifoScripts = new Optional[] {
                Optional.empty(), Optional.empty(), Optional.empty()};

        GlobalDefs.NotifyFifos notifyFifos() {
            Optional<GlobalDefs.NotifyFifo> gl = fifo(0);
            Optional<GlobalDefs.NotifyFifo> vr = fifo(1);
            Optional<GlobalDefs.NotifyFifo> lv = fifo(2);
            if (gl.isPresent() && vr.isPresent() && gl.get().path().equals(vr.get().path())) {
                vr = Optional.empty();
            }
            if (gl.isPresent() && lv.isPresent() && gl.get().path().equals(lv.get().path())) {
                lv = Optional.empty();
            }
            if (vr.isPresent() && lv.isPresent() && vr.get().path().equals(lv.get().path())
                    && vr.get().script().isPresent() && lv.get().script().isPresent()) {
                GlobalDefs.NotifyFifo l = lv.get();
                lv = Optional.of(new GlobalDefs.NotifyFifo(l.path(), l.user(), l.group(), Optional.empty()));
            }
            return new GlobalDefs.NotifyFifos(gl, vr, lv);
        }

        private Optional<GlobalDefs.NotifyFifo> fifo(int i) {
            String[] f = fifos[i];
            if (f == null) {
                return Optional.empty(); // a script without its FIFO does nothing in keepalived either
            }
            return Optional.of(new GlobalDefs.NotifyFifo(f[0], Optional.ofNullable(f[1]), Optional.ofNullable(f[2]),
                    fifoScripts[i]));
        }

        GlobalDefs build() {
            boolean minG = minGarp;
            int repeat = minG ? 1 : garpMasterRepeat;
            Duration delay = minG ? Duration.ZERO : garpMasterDelay;
            return new GlobalDefs(routerId, emails, emailFrom, smtpServer, heloName, smtpConnectTimeout, smtpAlert,
                    smtpAlertVrrp, smtpAlertChecker, checkerLogAllFailures, scriptUser, scriptGroup,
                    enableScriptSecurity, vrrpVersion, mcast4, mcast6, vrrpStrict, v3ChecksumAsV2, skipCheckAdvAddr,
                    checkUnicastSrc, delay, repeat, garpMasterRefresh, garpMasterRefreshRepeat,
                    garpLowerPrioDelay == null ? delay : garpLowerPrioDelay,
                    garpLowerPrioRepeat == null ? repeat : garpLowerPrioRepeat, garpInterval, gnaInterval, minG,
                    notifyPriorityChanges, startupDelay, defaultInterface, lvsFlush, flushOnStop, lvsTimeouts,
                    syncDaemon, dynamicInterfaces, netNamespace, instanceName, notifyFifos(), noCheckerEmails);
        }
    }

    /** An IP literal, or a syntactically valid DNS name (not resolved here). */
    static boolean validHost(String h) {
        if (Values.tryAddress(h) != null || Values.inetAton(h)) {
            return true;
        }
        if (h.isEmpty() || h.length() > 253 || h.indexOf(':') >= 0 || h.matches("[0-9.]+")) {
            return false;
        }
        for (String label : h.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || !label.matches("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?")) {
                return false;
            }
        }
        return true;
    }

    /** Reads a global_defs block (several add up, as in keepalived). */
    void parse(ConfigNode block) {
        GlobalDraft g = draft;
        each(block, "global_defs", n -> {
            if (!n.keyword.equals("notification_email")) {
                noBlock(n);
            }
            switch (n.keyword) {
                case "router_id" -> g.routerId = Optional.of(arg(n, 0));
                case "notification_email" -> {
                    if (valueBlock(n)) {
                        if (n.block().isEmpty()) {
                            warn(n, "Warning - empty notification_email block");
                        }
                        for (ConfigNode e : n.block()) {
                            g.emails.add(e.keyword);
                            for (String more : e.args) {
                                g.emails.add(more);
                            }
                        }
                    }
                }
                case "notification_email_from" -> g.emailFrom = Optional.of(arg(n, 0));
                case "smtp_server" -> {
                    String host = arg(n, 0);
                    if (!validHost(host)) {
                        throw err(n, "Invalid smtp server " + String.join(" ", n.args));
                    }
                    int port = n.args.size() > 1 ? portArg(n, 1) : 25;
                    if (port == 0) {
                        throw err(n, "invalid port '0' (1..65535)");
                    }
                    g.smtpServer = Optional.of(new GlobalDefs.SmtpServer(host, port));
                }
                case "smtp_helo_name" -> g.heloName = Optional.of(arg(n, 0));
                case "smtp_connect_timeout" -> {
                    int t = intArg(n, 0, 0, 4294);
                    if (t == 0) {
                        warn(n, "smtp_connect_timeout must be greater than 0 - ignoring");
                    } else {
                        g.smtpConnectTimeout = Duration.ofSeconds(t);
                    }
                }
                case "smtp_alert" -> g.smtpAlert = Optional.of(boolArg(n));
                case "smtp_alert_vrrp" -> g.smtpAlertVrrp = Optional.of(boolArg(n));
                case "smtp_alert_checker" -> g.smtpAlertChecker = Optional.of(boolArg(n));
                case "checker_log_all_failures" -> g.checkerLogAllFailures = boolArg(n);
                case "no_checker_emails" -> g.noCheckerEmails = boolArg(n);
                case "script_user" -> {
                    g.scriptUser = Optional.of(arg(n, 0));
                    g.scriptGroup = n.args.size() > 1 ? Optional.of(n.args.get(1)) : Optional.empty();
                    cx.scriptUsers.add(new ParseContext.UserRef(g.scriptUser.get(), g.scriptGroup, origin(n)));
                }
                case "enable_script_security" -> g.enableScriptSecurity = true;
                case "vrrp_version" -> g.vrrpVersion = intArg(n, 0, 2, 3);
                case "vrrp_mcast_group4" -> {
                    InetAddress a = addrArg(n, 0);
                    if (!Values.isV4(a) || !a.isMulticastAddress()) {
                        throw err(n, "vrrp_mcast_group4 '" + n.args.get(0) + "' is not an IPv4 multicast address");
                    }
                    g.mcast4 = a;
                }
                case "vrrp_mcast_group6" -> {
                    InetAddress a = addrArg(n, 0);
                    if (!Values.isV6(a) || !a.isMulticastAddress()) {
                        throw err(n, "vrrp_mcast_group6 '" + n.args.get(0) + "' is not an IPv6 multicast address");
                    }
                    if (!a.isMCLinkLocal()) {
                        warn(n, "vrrp_mcast_group6 [" + n.args.get(0) + "] should be link-local multicast.");
                    }
                    g.mcast6 = a;
                }
                case "vrrp_strict" -> g.vrrpStrict = true;
                case "v3_checksum_as_v2", "vrrp_v3_checksum_as_v2" -> {
                    g.v3ChecksumAsV2 = boolArg(n);
                    warn(n, "'" + n.keyword + "' is a javalived extension: keepalived 2.2.7 reports it as an unknown keyword");
                }
                case "vrrp_skip_check_adv_addr" -> g.skipCheckAdvAddr = true;
                case "vrrp_check_unicast_src" -> g.checkUnicastSrc = true;
                case "vrrp_garp_master_delay" -> g.garpMasterDelay = Duration.ofSeconds(intArg(n, 0, 0, 86400));
                case "vrrp_garp_master_repeat" -> g.garpMasterRepeat = intArg(n, 0, 1, 65535);
                case "vrrp_garp_master_refresh" -> g.garpMasterRefresh = Duration.ofSeconds(intArg(n, 0, 0, 86400));
                case "vrrp_garp_master_refresh_repeat" -> g.garpMasterRefreshRepeat = intArg(n, 0, 1, 65535);
                case "vrrp_garp_lower_prio_delay" -> g.garpLowerPrioDelay = Duration.ofSeconds(intArg(n, 0, 0, 86400));
                case "vrrp_garp_lower_prio_repeat" -> g.garpLowerPrioRepeat = intArg(n, 0, 1, 65535);
                case "vrrp_garp_interval" -> g.garpInterval = timerArg(n, 0, 0, 86400);
                case "vrrp_gna_interval" -> g.gnaInterval = timerArg(n, 0, 0, 86400);
                case "vrrp_min_garp" -> g.minGarp = boolArg(n);
                case "vrrp_notify_priority_changes" -> g.notifyPriorityChanges = boolArg(n);
                case "vrrp_startup_delay" -> g.startupDelay = timerArg(n, 0, 0, 3600);
                case "default_interface" -> {
                    g.defaultInterface = Optional.of(arg(n, 0));
                }
                case "lvs_flush" -> g.lvsFlush = true;
                case "lvs_flush_on_stop" -> {
                    if (n.args.isEmpty()) {
                        g.flushOnStop = GlobalDefs.LvsFlushOnStop.ALL;
                    } else if (n.args.get(0).equals("VS")) {
                        g.flushOnStop = GlobalDefs.LvsFlushOnStop.VS;
                    } else {
                        throw err(n, "invalid value '" + n.args.get(0) + "' (expected nothing or VS)");
                    }
                }
                case "lvs_timeouts" -> g.lvsTimeouts = lvsTimeouts(n);
                case "lvs_sync_daemon" -> g.syncDaemon = Optional.of(syncDaemon(n));
                case "dynamic_interfaces" -> g.dynamicInterfaces = true;
                case "notify_fifo", "vrrp_notify_fifo", "lvs_notify_fifo" -> fifo(n, g);
                case "notify_fifo_script", "vrrp_notify_fifo_script", "lvs_notify_fifo_script" -> fifoScript(n, g);
                default -> {
                    if (GLOBAL_IGNORED.contains(n.keyword)) {
                        ignored(n);
                    } else {
                        unknown(n);
                    }
                }
            }
        });
    }

    private GlobalDefs.LvsTimeouts lvsTimeouts(ConfigNode n) throws ConfigException {
        if (n.args.isEmpty()) {
            throw err(n, "at least one of tcp, tcpfin or udp must be given");
        }
        Optional<Duration> tcp = Optional.empty();
        Optional<Duration> fin = Optional.empty();
        Optional<Duration> udp = Optional.empty();
        for (int i = 0; i < n.args.size(); i += 2) {
            String k = n.args.get(i);
            Duration v = Duration.ofSeconds(intArg(n, i + 1, 0, 86400 * 31));
            switch (k) {
                case "tcp" -> tcp = Optional.of(v);
                case "tcpfin" -> fin = Optional.of(v);
                case "udp" -> udp = Optional.of(v);
                default -> throw err(n, "unknown lvs_timeouts option '" + k + "' (tcp|tcpfin|udp)");
            }
        }
        return new GlobalDefs.LvsTimeouts(tcp, fin, udp);
    }

    private GlobalDefs.LvsSyncDaemon syncDaemon(ConfigNode n) throws ConfigException {
        String ifname = arg(n, 0);
        Optional<String> inst = Optional.empty();
        Optional<Integer> id = Optional.empty();
        Optional<Integer> maxlen = Optional.empty();
        int port = 8848;
        Optional<Integer> ttl = Optional.empty();
        Optional<InetAddress> group = Optional.empty();
        for (int i = 1; i < n.args.size(); i++) {
            String k = n.args.get(i);
            switch (k) {
                case "inst" -> inst = Optional.of(arg(n, ++i));
                case "id" -> id = Optional.of(intArg(n, ++i, 0, 255));
                case "maxlen" -> maxlen = Optional.of(intArg(n, ++i, 1, 65507));
                case "port" -> port = intArg(n, ++i, 1, 65535);
                case "ttl" -> ttl = Optional.of(intArg(n, ++i, 1, 255));
                case "group" -> group = Optional.of(addrArg(n, ++i));
                default -> {
                    if (i == 1) {
                        inst = Optional.of(k);
                    } else {
                        throw err(n, "unknown lvs_sync_daemon option '" + k + "'");
                    }
                }
            }
        }
        return new GlobalDefs.LvsSyncDaemon(ifname, inst, id, maxlen, port, ttl, group);
    }

    private static int fifoIndex(String keyword) {
        return keyword.startsWith("vrrp_") ? 1 : keyword.startsWith("lvs_") ? 2 : 0;
    }

    /** keepalived's global_parser.c notify_fifo: NAME [USER [GROUP]]; a second one is ignored with an error. */
    private void fifo(ConfigNode n, GlobalDraft g) throws ConfigException {
        String type = n.keyword.substring(0, n.keyword.length() - "notify_fifo".length());
        if (n.args.isEmpty()) {
            throw err(n, "No " + type + "notify_fifo name specified");
        }
        int i = fifoIndex(n.keyword);
        if (g.fifos[i] != null) {
            warn(n, type + "notify_fifo already specified - ignoring " + n.args.get(0));
            return;
        }
        String user = n.args.size() > 1 ? n.args.get(1) : null;
        String group = n.args.size() > 2 ? n.args.get(2) : null;
        if (user != null) {
            cx.scriptUsers.add(new ParseContext.UserRef(user, Optional.ofNullable(group), origin(n)));
        }
        g.fifos[i] = new String[] {n.args.get(0), user, group};
    }

    /** notify_fifo_script SCRIPT [USER [GROUP]]: started with the FIFO's path as its last argument. */
    private void fifoScript(ConfigNode n, GlobalDraft g) throws ConfigException {
        String type = n.keyword.substring(0, n.keyword.length() - "notify_fifo_script".length());
        if (n.args.isEmpty()) {
            throw err(n, "No " + type + "notify_fifo_script specified");
        }
        int i = fifoIndex(n.keyword);
        io.javalived.config.model.NotifyScript sc = scriptArg(n, true);
        if (g.fifoScripts[i].isPresent()) {
            warn(n, type + "notify_fifo_script already specified - ignoring " + sc.command());
            return;
        }
        g.fifoScripts[i] = Optional.of(sc);
    }
}
