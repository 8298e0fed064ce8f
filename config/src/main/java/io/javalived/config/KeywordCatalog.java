package io.javalived.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every keyword of keepalived 2.2.7 (as its parsers install them: global_parser.c, vrrp_parser.c, check_parser.c,
 * check_*.c, bfd_parser.c, track_file.c) and what javalived does with it — the source of truth of
 * {@code config/KEYWORDS.md} (regenerate with {@code mvn -pl config test -Dtest=KeywordCatalogTest
 * -Djavalived.keywords.write=true}).
 *
 * <ul>
 *   <li><b>implemented</b> — applied with keepalived's semantics;</li>
 *   <li><b>notice</b> — accepted (its value checked where javalived reads it) with a one-line notice at
 *       {@code check} and at start naming what is not done;</li>
 *   <li><b>refused</b> — a configuration error at file:line with the reason (running it would mislead);</li>
 *   <li><b>deprecated-alias</b> — accepted with keepalived's deprecation message and read as the keyword it
 *       stands for (counted as a configuration error where keepalived -t counts it);</li>
 *   <li><b>javalived-extension</b> — not a keepalived keyword; read, and reported as keepalived -t reports it.</li>
 * </ul>
 *
 * <p>{@code words} is how many words after the keyword keepalived's handler reads ({@code *}: all of them;
 * {@code script}: the line is re-read as a script line, command then user and group; {@code script-no-user}: the
 * command only). A line with more words (e.g. {@code connect_timeout 1 retry 1}) applies only the keyword's own
 * words, as keepalived does, and the rest is reported as ignored.
 */
public final class KeywordCatalog {
    private KeywordCatalog() {
    }

    /** What javalived does with a keyword. */
    public enum Status {
        IMPLEMENTED("implemented"), NOTICE("notice"), REFUSED("refused"), DEPRECATED_ALIAS("deprecated-alias"),
        EXTENSION("javalived-extension");

        public final String label;

        Status(String label) {
            this.label = label;
        }

        static Status of(String label) {
            for (Status s : values()) {
                if (s.label.equals(label)) {
                    return s;
                }
            }
            throw new IllegalArgumentException(label);
        }
    }

    /**
     * One keyword in one block. {@code block}: keepalived's block path ({@code -} for the top level, e.g.
     * {@code virtual_server/real_server/TCP_CHECK}); {@code alias}: for a deprecated alias, the keyword it is read
     * as ({@code ""}: itself, {@code "!"}: dropped after its message); {@code keepalivedFails}: keepalived -t counts
     * the message as a configuration error; {@code sample}: arguments used by the keyword corpus; {@code test}: the
     * test that covers the row beyond {@code KeywordCatalogTest} and the keepalived -t agreement corpus.
     */
    public record Entry(String block, String keyword, String words, Status status, String alias,
                        boolean keepalivedFails, String note, String sample, String test) {
        /** Arguments keepalived's handler reads; -1 when it reads all of them or re-reads the line (scripts). */
        int maxArgs() {
            return words.chars().allMatch(Character::isDigit) ? Integer.parseInt(words) : -1;
        }

        boolean script() {
            return words.startsWith("script");
        }

        /** The text javalived reports at the keyword's file:line. */
        public String message() {
            return switch (status) {
                case NOTICE -> "'" + keyword + "' " + NOT_ACTED_UPON + ": " + note;
                case REFUSED -> "'" + keyword + "' is refused by javalived: " + note;
                case DEPRECATED_ALIAS, EXTENSION -> note;
                case IMPLEMENTED -> "";
            };
        }
    }

    /** The words of every notice (how {@link #notActedUpon} finds them among the warnings). */
    public static final String NOT_ACTED_UPON = "is accepted but not acted upon by javalived";

    // block | keyword | words | status | alias | fails | note | sample | test
    private static final String TABLE = """
            - | linkbeat_use_polling | 0 | notice |  |  | link state comes from netlink; no polling |  | 
            - | net_namespace | 1 | refused |  |  | javalived runs in the network namespace it is started in: start it with ip netns exec NAME and remove net_namespace | ns1 | KeywordCatalogTest.everyKeywordAsCatalogued
            - | net_namespace_ipvs | 1 | refused |  |  | javalived programs IPVS in the network namespace it is started in: start it with ip netns exec NAME and remove net_namespace_ipvs | ns1 | 
            - | namespace_with_ipsets | 0 | notice |  |  | only meaningful with net_namespace; javalived uses no ipsets |  | 
            - | use_pid_dir | 0 | notice |  |  | pid file location is set with javalived run --pid-file |  | 
            - | instance | 1 | notice |  |  | instance name is not used (pid files and data files are not per instance) | i1 | 
            - | child_wait_time | 1 | notice |  |  | javalived has no child processes | 5 | 
            - | global_defs | 0 | implemented |  |  |  |  | 
            global_defs | process_names | 0 | notice |  |  | javalived runs as one java process: scheduling, memory and process settings are not applied (set them on the service) |  | 
            global_defs | process_name | 1 | notice |  |  | javalived runs as one java process: scheduling, memory and process settings are not applied (set them on the service) | keepalived | 
            global_defs | vrrp_process_name | 1 | notice |  |  | javalived runs as one java process: scheduling, memory and process settings are not applied (set them on the service) | kvrrp | 
            global_defs | checker_process_name | 1 | notice |  |  | javalived runs as one java process: scheduling, memory and process settings are not applied (set them on the service) | kcheck | 
            global_defs | lvs_process_name | 1 | deprecated-alias | checker_process_name |  | 'lvs_process_name' is deprecated - please use 'checker_process_name' | kcheck | 
            global_defs | bfd_process_name | 1 | notice |  |  | javalived runs as one java process: scheduling, memory and process settings are not applied (set them on the service) | kbfd | 
            global_defs | router_id | 1 | implemented |  |  |  | r1 | 
            global_defs | notification_email_from | 1 | notice |  |  | javalived sends no e-mail alerts (use notify scripts) | root@localhost | 
            global_defs | smtp_server | 2 | notice |  |  | javalived sends no e-mail alerts (use notify scripts) | 127.0.0.1 | 
            global_defs | smtp_helo_name | 1 | notice |  |  | javalived sends no e-mail alerts (use notify scripts) | example | 
            global_defs | smtp_connect_timeout | 1 | notice |  |  | javalived sends no e-mail alerts (use notify scripts) | 5 | 
            global_defs | notification_email | * | notice |  |  | javalived sends no e-mail alerts (use notify scripts) | {\\n    root@localhost\\n  } | 
            global_defs | smtp_alert | 1 | notice |  |  | javalived sends no e-mail alerts (use notify scripts) |  | 
            global_defs | startup_script | script | notice |  |  | the start-up script is not run (run it from the service manager, e.g. ExecStartPre) | /bin/true | 
            global_defs | startup_script_timeout | 1 | notice |  |  | the start-up script is not run | 5 | 
            global_defs | shutdown_script | script | notice |  |  | the shutdown script is not run (run it from the service manager, e.g. ExecStopPost) | /bin/true | 
            global_defs | shutdown_script_timeout | 1 | notice |  |  | the shutdown script is not run | 5 | 
            global_defs | max_auto_priority | 1 | notice |  |  | javalived runs as one java process: scheduling, memory and process settings are not applied (set them on the service) |  | 
            global_defs | min_auto_priority_delay | 1 | notice |  |  | javalived runs as one java process: scheduling, memory and process settings are not applied (set them on the service) | 1000 | 
            global_defs | smtp_alert_vrrp | 1 | notice |  |  | javalived sends no e-mail alerts (use notify scripts) |  | 
            global_defs | smtp_alert_checker | 1 | notice |  |  | javalived sends no e-mail alerts (use notify scripts) |  | 
            global_defs | checker_log_all_failures | 1 | implemented |  |  |  |  | 
            global_defs | dynamic_interfaces | 1 | notice |  |  | interfaces must exist when javalived starts; it does not follow interfaces created later |  | 
            global_defs | no_email_faults | 0 | notice |  |  | javalived sends no e-mail alerts (use notify scripts) |  | 
            global_defs | default_interface | 1 | notice |  |  | no default interface: give each vrrp_instance its interface | eth0 | 
            global_defs | disable_local_igmp | 0 | notice |  |  | IGMP/MLD reports are left to the kernel |  | 
            global_defs | lvs_timeouts | * | notice |  |  | IPVS connection timeouts are not set (set them with ipvsadm --set) | tcp 900 tcpfin 120 udp 300 | 
            global_defs | lvs_flush | 0 | implemented |  |  |  |  | 
            global_defs | lvs_flush_on_stop | 1 | implemented |  |  |  |  | 
            global_defs | lvs_flush_onstop | 1 | deprecated-alias | lvs_flush_on_stop |  | 'lvs_flush_onstop' is deprecated - please use 'lvs_flush_on_stop' |  | 
            global_defs | lvs_sync_daemon | * | notice |  |  | the IPVS connection synchronisation daemon is not started (start it with ipvsadm --start-daemon) | eth0 VI_1 id 5 | 
            global_defs | vrrp_mcast_group4 | 1 | implemented |  |  |  | 224.0.0.18 | 
            global_defs | vrrp_mcast_group6 | 1 | implemented |  |  |  | ff02::12 | 
            global_defs | vrrp_garp_master_delay | 1 | implemented |  |  |  | 5 | 
            global_defs | vrrp_garp_master_repeat | 1 | implemented |  |  |  | 5 | 
            global_defs | vrrp_garp_master_refresh | 1 | implemented |  |  |  | 5 | 
            global_defs | vrrp_garp_master_refresh_repeat | 1 | implemented |  |  |  | 5 | 
            global_defs | vrrp_garp_lower_prio_delay | 1 | implemented |  |  |  | 5 | 
            global_defs | vrrp_garp_lower_prio_repeat | 1 | implemented |  |  |  | 5 | 
            global_defs | vrrp_down_timer_adverts | 1 | notice |  |  | the global default is not applied: set down_timer_adverts in each vrrp_instance | 5 | 
            global_defs | vrrp_garp_interval | 1 | notice |  |  | no delay is put between gratuitous ARP messages | 5 | 
            global_defs | vrrp_gna_interval | 1 | notice |  |  | no delay is put between unsolicited neighbour advertisements | 5 | 
            global_defs | vrrp_min_garp | 1 | implemented |  |  |  |  | 
            global_defs | vrrp_garp_extra_if | * | notice |  |  | no macvlan/ipvlan/VRF interface is made: VIPs go on the instance interface with its own MAC | 120 | 
            global_defs | vrrp_vmac_garp_intvl | * | deprecated-alias | vrrp_garp_extra_if | fails | Keyword "vrrp_vmac_garp_intvl" is deprecated - please use "vrrp_garp_extra_if" | 120 | 
            global_defs | vrrp_lower_prio_no_advert | 1 | notice |  |  | the global default is not applied: set lower_prio_no_advert in each vrrp_instance |  | 
            global_defs | vrrp_higher_prio_send_advert | 1 | notice |  |  | the global default is not applied: set higher_prio_send_advert in each vrrp_instance |  | 
            global_defs | vrrp_version | 1 | implemented |  |  |  | 3 | 
            global_defs | vrrp_iptables | 0 | notice |  | fails | no firewall rules are installed (Debian's keepalived 2.2.7 says "iptables not supported, using nftables instead", a configuration error for its -t) |  | 
            global_defs | vrrp_ipsets | 5 | refused |  |  | Debian's keepalived 2.2.7 is built without ipset support and reports an unknown keyword; so does javalived |  | 
            global_defs | nftables | 1 | notice |  |  | no firewall rules are installed | keepalived | 
            global_defs | nftables_priority | 1 | notice |  |  | no firewall rules are installed | 5 | 
            global_defs | nftables_ifindex | 0 | notice |  |  | no firewall rules are installed |  | 
            global_defs | nftables_ipvs | 1 | notice |  |  | no firewall rules are installed | keepalived_ipvs | 
            global_defs | nftables_ipvs_priority | 1 | notice |  |  | no firewall rules are installed | 5 | 
            global_defs | nftables_ipvs_start_fwmark | 1 | notice |  |  | no firewall rules are installed | 1000 | 
            global_defs | nftables_counters | 0 | notice |  |  | no firewall rules are installed |  | 
            global_defs | vrrp_check_unicast_src | 0 | implemented |  |  |  |  | 
            global_defs | vrrp_skip_check_adv_addr | 0 | implemented |  |  |  |  | 
            global_defs | vrrp_strict | 0 | notice |  |  | strict configuration checks are applied; no firewall rules drop traffic to the VIPs (no_accept) |  | 
            global_defs | vrrp_priority | 1 | notice |  |  | javalived runs as one java process: scheduling, memory and process settings are not applied (set them on the service) | -5 | 
            global_defs | vrrp_no_swap | 0 | notice |  |  | javalived runs as one java process: scheduling, memory and process settings are not applied (set them on the service) |  | 
            global_defs | vrrp_rt_priority | 1 | notice |  |  | javalived runs as one java process: scheduling, memory and process settings are not applied (set them on the service) | 1 | 
            global_defs | vrrp_cpu_affinity | 0 | notice |  |  | javalived runs as one java process: scheduling, memory and process settings are not applied (set them on the service) | 0 | 
            global_defs | vrrp_rlimit_rttime | 1 | notice |  |  | javalived runs as one java process: scheduling, memory and process settings are not applied (set them on the service) | 5 | 
            global_defs | vrrp_rlimit_rtime | 1 | deprecated-alias | vrrp_rlimit_rttime |  | Keyword 'vrrp_rlimit_rtime' is deprecated - please use 'vrrp_rlimit_rttime' | 5 | 
            global_defs | notify_fifo | 2 | notice |  |  | notify FIFOs are not written (use notify scripts) | /tmp/javalived-keyword-fifo1 | 
            global_defs | notify_fifo_script | script | notice |  |  | notify FIFOs are not written (use notify scripts) | /bin/true | 
            global_defs | vrrp_notify_fifo | 2 | notice |  |  | notify FIFOs are not written (use notify scripts) | /tmp/javalived-keyword-fifo2 | 
            global_defs | vrrp_notify_fifo_script | script | notice |  |  | notify FIFOs are not written (use notify scripts) | /bin/true | 
            global_defs | vrrp_notify_priority_changes | 1 | notice |  |  | notify scripts are not called on priority changes |  | 
            global_defs | fifo_write_vrrp_states_on_reload | 0 | notice |  |  | notify FIFOs are not written (use notify scripts) |  | 
            global_defs | lvs_notify_fifo | 2 | notice |  |  | notify FIFOs are not written (use notify scripts) | /tmp/javalived-keyword-fifo3 | 
            global_defs | lvs_notify_fifo_script | script | notice |  |  | notify FIFOs are not written (use notify scripts) | /bin/true | 
            global_defs | checker_priority | 1 | notice |  |  | javalived runs as one java process: scheduling, memory and process settings are not applied (set them on the service) | -5 | 
            global_defs | checker_no_swap | 0 | notice |  |  | javalived runs as one java process: scheduling, memory and process settings are not applied (set them on the service) |  | 
            global_defs | checker_rt_priority | 1 | notice |  |  | javalived runs as one java process: scheduling, memory and process settings are not applied (set them on the service) | 1 | 
            global_defs | checker_cpu_affinity | 0 | notice |  |  | javalived runs as one java process: scheduling, memory and process settings are not applied (set them on the service) | 0 | 
            global_defs | checker_rlimit_rttime | 1 | notice |  |  | javalived runs as one java process: scheduling, memory and process settings are not applied (set them on the service) | 5 | 
            global_defs | checker_rlimit_rtime | 1 | deprecated-alias | checker_rlimit_rttime |  | Keyword 'checker_rlimit_rtime' is deprecated - please use 'checker_rlimit_rttime' | 5 | 
            global_defs | bfd_priority | 1 | notice |  |  | javalived runs as one java process: scheduling, memory and process settings are not applied (set them on the service) | -5 | 
            global_defs | bfd_no_swap | 0 | notice |  |  | javalived runs as one java process: scheduling, memory and process settings are not applied (set them on the service) |  | 
            global_defs | bfd_rt_priority | 1 | notice |  |  | javalived runs as one java process: scheduling, memory and process settings are not applied (set them on the service) | 1 | 
            global_defs | bfd_cpu_affinity | 0 | notice |  |  | javalived runs as one java process: scheduling, memory and process settings are not applied (set them on the service) | 0 | 
            global_defs | bfd_rlimit_rttime | 1 | notice |  |  | javalived runs as one java process: scheduling, memory and process settings are not applied (set them on the service) | 5 | 
            global_defs | bfd_rlimit_rtime | 1 | deprecated-alias | bfd_rlimit_rttime |  | Keyword 'bfd_rlimit_rtime' is deprecated - please use 'bfd_rlimit_rttime' | 5 | 
            global_defs | snmp_socket | 1 | notice |  |  | javalived has no SNMP agent (see /metrics and javalived status) | udp:127.0.0.1:705 | 
            global_defs | enable_traps | 0 | notice |  |  | javalived has no SNMP agent (see /metrics and javalived status) |  | 
            global_defs | enable_snmp_vrrp | 0 | notice |  |  | javalived has no SNMP agent (see /metrics and javalived status) |  | 
            global_defs | enable_snmp_keepalived | 0 | deprecated-alias | enable_snmp_vrrp |  | 'enable_snmp_keepalived' is deprecated - please use 'enable_snmp_vrrp' |  | 
            global_defs | enable_snmp_rfc | 0 | notice |  |  | javalived has no SNMP agent (see /metrics and javalived status) |  | 
            global_defs | enable_snmp_rfcv2 | 0 | notice |  |  | javalived has no SNMP agent (see /metrics and javalived status) |  | 
            global_defs | enable_snmp_rfcv3 | 0 | notice |  |  | javalived has no SNMP agent (see /metrics and javalived status) |  | 
            global_defs | enable_snmp_checker | 0 | notice |  |  | javalived has no SNMP agent (see /metrics and javalived status) |  | 
            global_defs | enable_dbus | 0 | notice |  |  | javalived has no D-Bus interface |  | 
            global_defs | dbus_service_name | 1 | notice |  |  | javalived has no D-Bus interface | org.keepalived.Vrrp1 | 
            global_defs | script_user | 2 | implemented |  |  |  | root | ScriptSecurityRunTest
            global_defs | enable_script_security | 0 | implemented |  |  |  |  | ScriptSecurityAgreementTest, ScriptSecurityRunTest
            global_defs | vrrp_netlink_cmd_rcv_bufs | 1 | notice |  |  | netlink socket buffer sizes are not set | 5 | 
            global_defs | vrrp_netlink_cmd_rcv_bufs_force | 1 | notice |  |  | netlink socket buffer sizes are not set |  | 
            global_defs | vrrp_netlink_monitor_rcv_bufs | 1 | notice |  |  | netlink socket buffer sizes are not set | 5 | 
            global_defs | vrrp_netlink_monitor_rcv_bufs_force | 1 | notice |  |  | netlink socket buffer sizes are not set |  | 
            global_defs | process_monitor_rcv_bufs | 1 | notice |  |  | netlink socket buffer sizes are not set | 5 | 
            global_defs | process_monitor_rcv_bufs_force | 1 | notice |  |  | netlink socket buffer sizes are not set |  | 
            global_defs | lvs_netlink_cmd_rcv_bufs | 1 | notice |  |  | netlink socket buffer sizes are not set | 5 | 
            global_defs | lvs_netlink_cmd_rcv_bufs_force | 1 | notice |  |  | netlink socket buffer sizes are not set |  | 
            global_defs | lvs_netlink_monitor_rcv_bufs | 1 | notice |  |  | netlink socket buffer sizes are not set | 5 | 
            global_defs | lvs_netlink_monitor_rcv_bufs_force | 1 | notice |  |  | netlink socket buffer sizes are not set |  | 
            global_defs | rs_init_notifies | 1 | notice |  |  | real server notify scripts are not run at start-up |  | 
            global_defs | no_checker_emails | 1 | notice |  |  | javalived sends no e-mail alerts (use notify scripts) |  | 
            global_defs | vrrp_rx_bufs_policy | * | notice |  |  | VRRP receive buffer sizes are not set | MTU | 
            global_defs | vrrp_rx_bufs_multiplier | 1 | notice |  |  | VRRP receive buffer sizes are not set | 5 | 
            global_defs | vrrp_startup_delay | 1 | notice |  |  | VRRP instances start at once (no start-up delay) | 5 | 
            global_defs | log_unknown_vrids | 0 | notice |  |  | adverts for unknown VRIDs are not logged |  | 
            global_defs | vmac_prefix | 1 | notice |  |  | no macvlan/ipvlan/VRF interface is made: VIPs go on the instance interface with its own MAC | vrt | 
            global_defs | vmac_addr_prefix | 1 | notice |  |  | no macvlan/ipvlan/VRF interface is made: VIPs go on the instance interface with its own MAC | vrt | 
            global_defs | umask | * | notice |  |  | the file creation mask is not changed | 0022 | 
            global_defs | random_seed | 1 | notice |  |  | no random seed is used | 1 | 
            global_defs | reload_check_config | 1 | notice |  |  | javalived checks a configuration with javalived check; reload options are not used |  | 
            global_defs | reload_time_file | 1 | notice |  |  | scheduled reloads are not supported | /tmp/javalived-keyword-reload | 
            global_defs | reload_repeat | 0 | notice |  |  | scheduled reloads are not supported |  | 
            global_defs | reload_file | 1 | notice |  |  | scheduled reloads are not supported | /tmp/javalived-keyword-reloadf | 
            global_defs | include_check | * | notice |  |  | include files are not re-checked on reload |  | 
            global_defs | config_save_dir | 1 | notice |  |  | configurations are not saved | /tmp | 
            global_defs | tmp_config_directory | 1 | notice |  |  | configurations are not copied | /tmp | 
            global_defs | data_use_instance | 1 | notice |  |  | instance name is not used |  | 
            - | track_group | 1 | notice |  |  | track groups are not used | x | 
            track_group | group | * | notice |  |  | track groups are not used | {\\n    VI_1\\n  } | 
            - | static_ipaddress | * | notice |  |  | static addresses are not configured: configure them with the system network configuration | x | 
            - | static_routes | * | notice |  |  | static routes are not configured: configure them with the system network configuration | x | 
            - | static_rules | * | notice |  |  | static rules are not configured: configure them with the system network configuration | x | 
            - | vrrp_sync_group | 1 | implemented |  |  |  | x | 
            vrrp_sync_group | group | * | implemented |  |  |  | {\\n    VI_1\\n  } | 
            vrrp_sync_group | track_interface | * | implemented |  |  |  | {\\n    eth0\\n  } | 
            vrrp_sync_group | track_script | * | implemented |  |  |  | {\\n    chk\\n  } | 
            vrrp_sync_group | track_file | * | implemented |  |  |  | {\\n    tf\\n  } | 
            vrrp_sync_group | track_process | * | refused |  |  | process tracking is not implemented: the group would not go to FAULT when the process stops | {\\n    tp\\n  } | 
            vrrp_sync_group | track_bfd | * | refused |  |  | BFD is not implemented: the group would not go to FAULT when the BFD session fails | {\\n    bf\\n  } | 
            vrrp_sync_group | notify_backup | script | implemented |  |  |  | "/bin/true" | 
            vrrp_sync_group | notify_master | script | implemented |  |  |  | "/bin/true" | 
            vrrp_sync_group | notify_fault | script | implemented |  |  |  | "/bin/true" | 
            vrrp_sync_group | notify_stop | script | implemented |  |  |  | "/bin/true" | 
            vrrp_sync_group | notify | script | implemented |  |  |  | "/bin/true" | 
            vrrp_sync_group | smtp_alert | 1 | notice |  |  | javalived sends no e-mail alerts (use notify scripts) |  | 
            vrrp_sync_group | global_tracking | 0 | deprecated-alias | sync_group_tracking_weight | fails | global_tracking is deprecated. Use track_interface/script/file on the sync group |  | KeywordCatalogTest.syncGroupMembersLoseTrackingWeights
            vrrp_sync_group | sync_group_tracking_weight | 0 | implemented |  |  |  |  | KeywordCatalogTest.syncGroupMembersLoseTrackingWeights
            vrrp_sync_group | notify_priority_changes | 1 | notice |  |  | notify scripts are not called on priority changes |  | 
            - | garp_group | 0 | notice |  |  | gratuitous ARP/NA pacing groups are not applied |  | 
            garp_group | garp_interval | 1 | notice |  |  | gratuitous ARP/NA pacing groups are not applied | 1 | 
            garp_group | gna_interval | 1 | notice |  |  | gratuitous ARP/NA pacing groups are not applied | 1 | 
            garp_group | interface | 1 | notice |  |  | gratuitous ARP/NA pacing groups are not applied | eth0 | 
            garp_group | interfaces | * | notice |  |  | gratuitous ARP/NA pacing groups are not applied | {\\n    eth0\\n  } | 
            - | linkbeat_interfaces | * | notice |  |  | link state comes from netlink; no polling | x | 
            - | vrrp_instance | 1 | implemented |  |  |  | x | 
            vrrp_instance | use_vmac | * | notice |  |  | no macvlan/ipvlan/VRF interface is made: VIPs go on the instance interface with its own MAC |  | 
            vrrp_instance | use_vmac_addr | 0 | notice |  |  | no macvlan/ipvlan/VRF interface is made: VIPs go on the instance interface with its own MAC |  | 
            vrrp_instance | vmac_xmit_base | 0 | notice |  |  | no macvlan/ipvlan/VRF interface is made: VIPs go on the instance interface with its own MAC |  | 
            vrrp_instance | use_ipvlan | * | notice |  |  | no macvlan/ipvlan/VRF interface is made: VIPs go on the instance interface with its own MAC | ipvl1 192.0.2.31/24 | 
            vrrp_instance | unicast_peer | * | implemented |  |  |  | {\\n    192.0.2.251\\n  } | 
            vrrp_instance | unicast_fault_no_peer | 0 | notice |  |  | an instance without unicast peers is not put in FAULT |  | 
            vrrp_instance | check_unicast_src | 0 | implemented |  |  |  |  | 
            vrrp_instance | old_unicast_checksum | 1 | notice |  |  | unicast adverts use the standard checksum | never\\n  unicast_peer {\\n    192.0.2.251\\n  } | 
            vrrp_instance | native_ipv6 | 0 | implemented |  |  |  |  | 
            vrrp_instance | state | 1 | implemented |  |  |  | MASTER | 
            vrrp_instance | interface | 1 | implemented |  |  |  | eth0 | 
            vrrp_instance | vrf | 1 | notice |  |  | no macvlan/ipvlan/VRF interface is made: VIPs go on the instance interface with its own MAC | vrf1 | 
            vrrp_instance | dont_track_primary | 0 | implemented |  |  |  |  | 
            vrrp_instance | track_interface | * | implemented |  |  |  | {\\n    eth0\\n  } | 
            vrrp_instance | track_script | * | implemented |  |  |  | {\\n    chk\\n  } | 
            vrrp_instance | track_file | * | implemented |  |  |  | {\\n    tf\\n  } | 
            vrrp_instance | track_process | * | refused |  |  | process tracking is not implemented: the instance would not go to FAULT when the process stops | {\\n    tp\\n  } | 
            vrrp_instance | track_bfd | * | refused |  |  | BFD is not implemented: the instance would not go to FAULT when the BFD session fails | {\\n    bf\\n  } | 
            vrrp_instance | mcast_src_ip | 1 | implemented |  |  |  | 192.0.2.250 | 
            vrrp_instance | unicast_src_ip | 1 | implemented |  |  |  | 192.0.2.250 | 
            vrrp_instance | mcast_dst_ip | 1 | implemented |  |  |  | 224.0.0.18 | 
            vrrp_instance | track_src_ip | 0 | notice |  |  | the advert source address is not tracked |  | 
            vrrp_instance | virtual_router_id | 1 | implemented |  |  |  | 52 | 
            vrrp_instance | unicast_ttl | 1 | notice |  |  | unicast adverts are sent with TTL 255 | 64 | 
            vrrp_instance | version | 1 | implemented |  |  |  | 2 | 
            vrrp_instance | priority | 1 | implemented |  |  |  | 150 | 
            vrrp_instance | advert_int | 1 | implemented |  |  |  | 2 | 
            vrrp_instance | virtual_ipaddress | * | implemented |  |  |  | {\\n    192.0.2.11/32\\n  } | 
            vrrp_instance | virtual_ipaddress_excluded | * | implemented |  |  |  | {\\n    192.0.2.12/32\\n  } | 
            vrrp_instance | promote_secondaries | 0 | notice |  |  | promote_secondaries is not set on the interface (set net.ipv4.conf.IF.promote_secondaries) |  | 
            vrrp_instance | linkbeat_use_polling | 0 | deprecated-alias | ! | fails | 'linkbeat_use_polling' in vrrp instance deprecated - use linkbeat_interfaces block |  | 
            vrrp_instance | virtual_routes | * | notice |  |  | virtual routes are not added or removed with the VIPs | {\\n    198.51.100.0/24 via 192.0.2.1\\n  } | 
            vrrp_instance | virtual_rules | * | notice |  |  | virtual rules are not added or removed with the VIPs | {\\n    from 192.0.2.11 table 100\\n  } | 
            vrrp_instance | accept | 0 | implemented |  |  |  |  | 
            vrrp_instance | no_accept | 0 | notice |  |  | no firewall rules drop traffic to the VIPs |  | 
            vrrp_instance | skip_check_adv_addr | 1 | implemented |  |  |  |  | 
            vrrp_instance | strict_mode | 1 | notice |  |  | strict configuration checks are applied; no firewall rules drop traffic to the VIPs |  | 
            vrrp_instance | preempt | 0 | implemented |  |  |  |  | 
            vrrp_instance | nopreempt | 0 | implemented |  |  |  |  | 
            vrrp_instance | preempt_delay | 1 | implemented |  |  |  | 10 | 
            vrrp_instance | debug | 1 | notice |  |  | per-instance debug level is not used | 1 | 
            vrrp_instance | notify_backup | script | implemented |  |  |  | "/bin/true" | 
            vrrp_instance | notify_master | script | implemented |  |  |  | "/bin/true" | KeywordCatalogTest.notifyScriptsReadEscapesAsKeepalived
            vrrp_instance | notify_fault | script | implemented |  |  |  | "/bin/true" | 
            vrrp_instance | notify_stop | script | implemented |  |  |  | "/bin/true" | 
            vrrp_instance | notify_deleted | script | notice |  |  | the notify_deleted script is not run | "/bin/true" | 
            vrrp_instance | notify | script | implemented |  |  |  | "/bin/true" | 
            vrrp_instance | notify_master_rx_lower_pri | script | implemented |  |  |  | "/bin/true" | 
            vrrp_instance | smtp_alert | 1 | notice |  |  | javalived sends no e-mail alerts (use notify scripts) |  | 
            vrrp_instance | notify_priority_changes | 1 | notice |  |  | notify scripts are not called on priority changes |  | 
            vrrp_instance | lvs_sync_daemon_interface | 1 | deprecated-alias | ! | fails | Specifying lvs_sync_daemon_interface against a vrrp is deprecated. | eth0 | 
            vrrp_instance | garp_master_delay | 1 | implemented |  |  |  | 5 | 
            vrrp_instance | garp_master_refresh | 1 | implemented |  |  |  | 5 | 
            vrrp_instance | garp_master_repeat | 1 | implemented |  |  |  | 5 | 
            vrrp_instance | garp_master_refresh_repeat | 1 | implemented |  |  |  | 5 | 
            vrrp_instance | garp_lower_prio_delay | 1 | implemented |  |  |  | 5 | 
            vrrp_instance | garp_lower_prio_repeat | 1 | implemented |  |  |  | 5 | 
            vrrp_instance | down_timer_adverts | 1 | implemented |  |  |  | 5 | 
            vrrp_instance | garp_extra_if | * | notice |  |  | no macvlan/ipvlan/VRF interface is made: VIPs go on the instance interface with its own MAC | 120 | 
            vrrp_instance | vmac_garp_intvl | * | deprecated-alias | garp_extra_if | fails | Keyword "vmac_garp_intvl" is deprecated - please use "garp_extra_if" | 120 | 
            vrrp_instance | lower_prio_no_advert | 1 | implemented |  |  |  |  | 
            vrrp_instance | higher_prio_send_advert | 1 | implemented |  |  |  |  | 
            vrrp_instance | kernel_rx_buf_size | 1 | notice |  |  | the receive buffer size is not set | 65536 | 
            vrrp_instance | authentication | 0 | implemented |  |  |  | {\\n    auth_type PASS\\n    auth_pass secret\\n  } | 
            vrrp_instance/authentication | auth_type | 1 | implemented |  |  | PASS; AH is refused: keepalived sends AH-authenticated adverts as IP protocol 51, javalived would not understand a keepalived peer and both would become MASTER | PASS | KeywordCatalogTest.ahAuthenticationIsRefused
            vrrp_instance/authentication | auth_pass | 1 | implemented |  |  |  | secret | 
            - | vrrp_script | 1 | implemented |  |  |  | x | 
            vrrp_script | script | script-no-user | implemented |  |  |  | "/bin/true" | 
            vrrp_script | interval | 1 | implemented |  |  |  | 5 | 
            vrrp_script | timeout | 1 | implemented |  |  |  | 5 | 
            vrrp_script | weight | 2 | implemented |  |  |  | 10 | 
            vrrp_script | rise | 1 | implemented |  |  |  | 5 | 
            vrrp_script | fall | 1 | implemented |  |  |  | 5 | 
            vrrp_script | user | 2 | implemented |  |  |  | root | 
            vrrp_script | init_fail | 0 | implemented |  |  |  |  | 
            - | vrrp_track_process | 1 | notice |  |  | process trackers are not run (tracking one is refused) | x | 
            vrrp_track_process | process | * | notice |  |  | process trackers are not run | sshd | 
            vrrp_track_process | param_match | 1 | notice |  |  | process trackers are not run | initial | 
            vrrp_track_process | weight | 2 | notice |  |  | process trackers are not run | 10 | 
            vrrp_track_process | quorum | 1 | notice |  |  | process trackers are not run | 5 | 
            vrrp_track_process | quorum_max | 1 | notice |  |  | process trackers are not run | 5 | 
            vrrp_track_process | delay | 1 | notice |  |  | process trackers are not run | 5 | 
            vrrp_track_process | terminate_delay | 1 | notice |  |  | process trackers are not run | 5 | 
            vrrp_track_process | fork_delay | 1 | notice |  |  | process trackers are not run | 5 | 
            vrrp_track_process | full_command | 0 | notice |  |  | process trackers are not run |  | 
            - | interface_up_down_delays | * | notice |  |  | interface up/down delays are not applied | 5 | 
            - | SSL | 0 | notice |  |  | SSL_GET presents no client certificate and verifies no server certificate |  | 
            SSL | password | 1 | notice |  |  | SSL_GET presents no client certificate and verifies no server certificate | pw | 
            SSL | ca | 1 | notice |  |  | SSL_GET presents no client certificate and verifies no server certificate | /etc/ssl/certs/ca-certificates.crt | 
            SSL | certificate | 1 | notice |  |  | SSL_GET presents no client certificate and verifies no server certificate | /etc/ssl/certs/ca-certificates.crt | 
            SSL | key | 1 | notice |  |  | SSL_GET presents no client certificate and verifies no server certificate | /etc/ssl/certs/ca-certificates.crt | 
            - | virtual_server_group | * | implemented |  |  |  | x | 
            - | virtual_server | 2 | implemented |  |  |  | x | 
            virtual_server | ip_family | 1 | implemented |  |  |  | inet | 
            virtual_server | retry | 1 | implemented |  |  |  | 5 | 
            virtual_server | delay_before_retry | 1 | implemented |  |  |  | 5 | 
            virtual_server | warmup | 1 | implemented |  |  |  | 5 | 
            virtual_server | connect_timeout | 1 | implemented |  |  |  | 5 | 
            virtual_server | delay_loop | 1 | implemented |  |  |  | 5 | 
            virtual_server | inhibit_on_failure | 0 | implemented |  |  |  |  | 
            virtual_server | lb_algo | 1 | implemented |  |  |  | wlc | 
            virtual_server | lvs_sched | 1 | implemented |  |  |  | wlc | 
            virtual_server | hashed | 0 | notice |  |  | IPVS sets the hashed flag itself |  | 
            virtual_server | ops | 0 | notice |  |  | one-packet scheduling is not set on the IPVS service |  | 
            virtual_server | flag-1 | 0 | notice |  |  | scheduler flags are not set on the IPVS service |  | 
            virtual_server | flag-2 | 0 | notice |  |  | scheduler flags are not set on the IPVS service |  | 
            virtual_server | flag-3 | 0 | notice |  |  | scheduler flags are not set on the IPVS service |  | 
            virtual_server | sh-port | 0 | notice |  |  | scheduler flags are not set on the IPVS service |  | 
            virtual_server | sh-fallback | 0 | notice |  |  | scheduler flags are not set on the IPVS service |  | 
            virtual_server | mh-port | 0 | notice |  |  | scheduler flags are not set on the IPVS service |  | 
            virtual_server | mh-fallback | 0 | notice |  |  | scheduler flags are not set on the IPVS service |  | 
            virtual_server | lb_kind | * | implemented |  |  | NAT, DR, TUN (ipip); TUN type gue or gre is refused: javalived programs tunnelled destinations as IPIP only | DR | KeywordCatalogTest.tunnelTypesOtherThanIpipAreRefused
            virtual_server | lvs_method | * | implemented |  |  | as lb_kind | DR | 
            virtual_server | persistence_engine | 1 | implemented |  |  |  | sip | 
            virtual_server | persistence_timeout | 1 | implemented |  |  |  | 5 | 
            virtual_server | persistence_granularity | 1 | implemented |  |  |  | 255.255.255.0 | 
            virtual_server | protocol | 1 | implemented |  |  |  | TCP | 
            virtual_server | ha_suspend | 0 | implemented |  |  |  |  | 
            virtual_server | smtp_alert | 1 | notice |  |  | javalived sends no e-mail alerts (use notify scripts) |  | 
            virtual_server | virtualhost | 1 | implemented |  |  |  | www.example.com | 
            virtual_server | snmp_name | 1 | notice |  |  | javalived has no SNMP agent (see /metrics and javalived status) | vs1 | 
            virtual_server | alpha | 0 | implemented |  |  |  |  | 
            virtual_server | omega | 0 | implemented |  |  |  |  | 
            virtual_server | quorum_up | script | implemented |  |  |  | "/bin/true up" | 
            virtual_server | quorum_down | script | implemented |  |  |  | "/bin/true down" | 
            virtual_server | quorum | 1 | implemented |  |  |  | 5 | 
            virtual_server | hysteresis | 1 | implemented |  |  |  | 5 | 
            virtual_server | weight | 1 | implemented |  |  |  | 2 | 
            virtual_server | sorry_server | 2 | implemented |  |  |  | 192.0.2.9 80 | 
            virtual_server | sorry_server_inhibit | 0 | notice |  |  | the sorry server is removed, not set to weight 0 |  | 
            virtual_server | sorry_server_lvs_method | * | implemented |  |  |  | NAT | 
            virtual_server | real_server | 2 | implemented |  |  |  | 192.0.2.3 80 {\\n    weight 1\\n  } | 
            virtual_server/real_server | weight | 1 | implemented |  |  |  | 2 | 
            virtual_server/real_server | lvs_method | * | implemented |  |  | as lb_kind | NAT | 
            virtual_server/real_server | uthreshold | 1 | implemented |  |  |  | 5 | 
            virtual_server/real_server | lthreshold | 1 | implemented |  |  |  | 5 | 
            virtual_server/real_server | inhibit_on_failure | 1 | implemented |  |  |  |  | 
            virtual_server/real_server | notify_up | script | implemented |  |  |  | "/bin/true up" | 
            virtual_server/real_server | notify_down | script | implemented |  |  |  | "/bin/true down" | 
            virtual_server/real_server | alpha | 1 | implemented |  |  |  |  | 
            virtual_server/real_server | retry | 1 | implemented |  |  |  | 5 | 
            virtual_server/real_server | delay_before_retry | 1 | implemented |  |  |  | 5 | 
            virtual_server/real_server | warmup | 1 | implemented |  |  |  | 5 | 
            virtual_server/real_server | connect_timeout | 1 | implemented |  |  |  | 5 | 
            virtual_server/real_server | delay_loop | 1 | implemented |  |  |  | 5 | 
            virtual_server/real_server | smtp_alert | 1 | notice |  |  | javalived sends no e-mail alerts (use notify scripts) |  | 
            virtual_server/real_server | virtualhost | 1 | implemented |  |  |  | www.example.com | 
            virtual_server/real_server | snmp_name | 1 | notice |  |  | javalived has no SNMP agent (see /metrics and javalived status) | rs1 | 
            virtual_server/real_server | MISC_CHECK | 0 | implemented |  |  |  | {\\n      misc_path "/bin/true"\\n    } | 
            virtual_server/real_server/MISC_CHECK | retry | 1 | implemented |  |  |  | 2 | 
            virtual_server/real_server/MISC_CHECK | delay_before_retry | 1 | implemented |  |  |  | 2 | 
            virtual_server/real_server/MISC_CHECK | warmup | 1 | implemented |  |  |  | 5 | 
            virtual_server/real_server/MISC_CHECK | delay_loop | 1 | implemented |  |  |  | 5 | 
            virtual_server/real_server/MISC_CHECK | alpha | 1 | implemented |  |  |  |  | 
            virtual_server/real_server/MISC_CHECK | log_all_failures | 1 | implemented |  |  |  |  | 
            virtual_server/real_server/MISC_CHECK | misc_path | script-no-user | implemented |  |  |  | "/bin/true" | KeywordCatalogTest.miscPathTakesOnlyItsCommand
            virtual_server/real_server/MISC_CHECK | misc_timeout | 1 | implemented |  |  |  | 5 | 
            virtual_server/real_server/MISC_CHECK | misc_dynamic | 0 | implemented |  |  |  |  | 
            virtual_server/real_server/MISC_CHECK | user | 2 | implemented |  |  |  | root | 
            virtual_server/real_server | SMTP_CHECK | 0 | implemented |  |  |  | {\\n      helo_name example\\n    } | 
            virtual_server/real_server/SMTP_CHECK | helo_name | 1 | implemented |  |  |  | example | 
            virtual_server/real_server/SMTP_CHECK | connect_ip | 1 | implemented |  |  |  | 192.0.2.3 | 
            virtual_server/real_server/SMTP_CHECK | connect_port | 1 | implemented |  |  |  | 8080 | 
            virtual_server/real_server/SMTP_CHECK | bindto | 1 | implemented |  |  |  | 192.0.2.250 | 
            virtual_server/real_server/SMTP_CHECK | bind_port | 1 | implemented |  |  |  | 40000 | 
            virtual_server/real_server/SMTP_CHECK | bind_if | 1 | notice |  |  | checker sockets are not bound to an interface | eth0 | 
            virtual_server/real_server/SMTP_CHECK | connect_timeout | 1 | implemented |  |  |  | 3 | 
            virtual_server/real_server/SMTP_CHECK | fwmark | 1 | notice |  |  | checker packets are not marked | 7 | 
            virtual_server/real_server/SMTP_CHECK | retry | 1 | implemented |  |  |  | 2 | 
            virtual_server/real_server/SMTP_CHECK | delay_before_retry | 1 | implemented |  |  |  | 2 | 
            virtual_server/real_server/SMTP_CHECK | warmup | 1 | implemented |  |  |  | 5 | 
            virtual_server/real_server/SMTP_CHECK | delay_loop | 1 | implemented |  |  |  | 5 | 
            virtual_server/real_server/SMTP_CHECK | alpha | 1 | implemented |  |  |  |  | 
            virtual_server/real_server/SMTP_CHECK | log_all_failures | 1 | implemented |  |  |  |  | 
            virtual_server/real_server/SMTP_CHECK | host | 0 | deprecated-alias |  |  | The SMTP_CHECK host block is deprecated. Please define additional checkers. (javalived uses the first host as connect_ip/port) | {\\n      connect_ip 192.0.2.4\\n    } | 
            virtual_server/real_server/SMTP_CHECK/host | connect_ip | 1 | implemented |  |  |  | 192.0.2.3 | 
            virtual_server/real_server/SMTP_CHECK/host | connect_port | 1 | implemented |  |  |  | 8080 | 
            virtual_server/real_server/SMTP_CHECK/host | bindto | 1 | implemented |  |  |  | 192.0.2.250 | 
            virtual_server/real_server/SMTP_CHECK/host | bind_port | 1 | implemented |  |  |  | 40000 | 
            virtual_server/real_server/SMTP_CHECK/host | bind_if | 1 | notice |  |  | ignored in a deprecated SMTP_CHECK host block | eth0 | 
            virtual_server/real_server/SMTP_CHECK/host | connect_timeout | 1 | implemented |  |  |  | 3 | 
            virtual_server/real_server/SMTP_CHECK/host | fwmark | 1 | notice |  |  | ignored in a deprecated SMTP_CHECK host block | 7 | 
            virtual_server/real_server/SMTP_CHECK/host | retry | 1 | notice |  |  | ignored in a deprecated SMTP_CHECK host block | 2 | 
            virtual_server/real_server/SMTP_CHECK/host | delay_before_retry | 1 | notice |  |  | ignored in a deprecated SMTP_CHECK host block | 2 | 
            virtual_server/real_server/SMTP_CHECK/host | warmup | 1 | notice |  |  | ignored in a deprecated SMTP_CHECK host block | 5 | 
            virtual_server/real_server/SMTP_CHECK/host | delay_loop | 1 | notice |  |  | ignored in a deprecated SMTP_CHECK host block | 5 | 
            virtual_server/real_server/SMTP_CHECK/host | alpha | 1 | notice |  |  | ignored in a deprecated SMTP_CHECK host block |  | 
            virtual_server/real_server/SMTP_CHECK/host | log_all_failures | 1 | notice |  |  | ignored in a deprecated SMTP_CHECK host block |  | 
            virtual_server/real_server | TCP_CHECK | 0 | implemented |  |  |  | {\\n      connect_timeout 3\\n    } | 
            virtual_server/real_server/TCP_CHECK | connect_ip | 1 | implemented |  |  |  | 192.0.2.3 | 
            virtual_server/real_server/TCP_CHECK | connect_port | 1 | implemented |  |  |  | 8080 | 
            virtual_server/real_server/TCP_CHECK | bindto | 1 | implemented |  |  |  | 192.0.2.250 | 
            virtual_server/real_server/TCP_CHECK | bind_port | 1 | implemented |  |  |  | 40000 | 
            virtual_server/real_server/TCP_CHECK | bind_if | 1 | notice |  |  | checker sockets are not bound to an interface | eth0 | 
            virtual_server/real_server/TCP_CHECK | connect_timeout | 1 | implemented |  |  |  | 3 | 
            virtual_server/real_server/TCP_CHECK | fwmark | 1 | notice |  |  | checker packets are not marked | 7 | 
            virtual_server/real_server/TCP_CHECK | retry | 1 | implemented |  |  |  | 2 | 
            virtual_server/real_server/TCP_CHECK | delay_before_retry | 1 | implemented |  |  |  | 2 | 
            virtual_server/real_server/TCP_CHECK | warmup | 1 | implemented |  |  |  | 5 | 
            virtual_server/real_server/TCP_CHECK | delay_loop | 1 | implemented |  |  |  | 5 | 
            virtual_server/real_server/TCP_CHECK | alpha | 1 | implemented |  |  |  |  | 
            virtual_server/real_server/TCP_CHECK | log_all_failures | 1 | implemented |  |  |  |  | 
            virtual_server/real_server | PING_CHECK | 0 | implemented |  |  |  | {\\n    } | 
            virtual_server/real_server/PING_CHECK | connect_ip | 1 | implemented |  |  |  | 192.0.2.3 | 
            virtual_server/real_server/PING_CHECK | connect_port | 1 | implemented |  |  |  | 8080 | 
            virtual_server/real_server/PING_CHECK | bindto | 1 | implemented |  |  |  | 192.0.2.250 | 
            virtual_server/real_server/PING_CHECK | bind_port | 1 | implemented |  |  |  | 40000 | 
            virtual_server/real_server/PING_CHECK | bind_if | 1 | notice |  |  | checker sockets are not bound to an interface | eth0 | 
            virtual_server/real_server/PING_CHECK | connect_timeout | 1 | implemented |  |  |  | 3 | 
            virtual_server/real_server/PING_CHECK | fwmark | 1 | notice |  |  | checker packets are not marked | 7 | 
            virtual_server/real_server/PING_CHECK | retry | 1 | implemented |  |  |  | 2 | 
            virtual_server/real_server/PING_CHECK | delay_before_retry | 1 | implemented |  |  |  | 2 | 
            virtual_server/real_server/PING_CHECK | warmup | 1 | implemented |  |  |  | 5 | 
            virtual_server/real_server/PING_CHECK | delay_loop | 1 | implemented |  |  |  | 5 | 
            virtual_server/real_server/PING_CHECK | alpha | 1 | implemented |  |  |  |  | 
            virtual_server/real_server/PING_CHECK | log_all_failures | 1 | implemented |  |  |  |  | 
            virtual_server/real_server | UDP_CHECK | 0 | implemented |  |  |  | {\\n      connect_timeout 3\\n    } | 
            virtual_server/real_server/UDP_CHECK | connect_ip | 1 | implemented |  |  |  | 192.0.2.3 | 
            virtual_server/real_server/UDP_CHECK | connect_port | 1 | implemented |  |  |  | 8080 | 
            virtual_server/real_server/UDP_CHECK | bindto | 1 | implemented |  |  |  | 192.0.2.250 | 
            virtual_server/real_server/UDP_CHECK | bind_port | 1 | implemented |  |  |  | 40000 | 
            virtual_server/real_server/UDP_CHECK | bind_if | 1 | notice |  |  | checker sockets are not bound to an interface | eth0 | 
            virtual_server/real_server/UDP_CHECK | connect_timeout | 1 | implemented |  |  |  | 3 | 
            virtual_server/real_server/UDP_CHECK | fwmark | 1 | notice |  |  | checker packets are not marked | 7 | 
            virtual_server/real_server/UDP_CHECK | retry | 1 | implemented |  |  |  | 2 | 
            virtual_server/real_server/UDP_CHECK | delay_before_retry | 1 | implemented |  |  |  | 2 | 
            virtual_server/real_server/UDP_CHECK | warmup | 1 | implemented |  |  |  | 5 | 
            virtual_server/real_server/UDP_CHECK | delay_loop | 1 | implemented |  |  |  | 5 | 
            virtual_server/real_server/UDP_CHECK | alpha | 1 | implemented |  |  |  |  | 
            virtual_server/real_server/UDP_CHECK | log_all_failures | 1 | implemented |  |  |  |  | 
            virtual_server/real_server/UDP_CHECK | payload | * | implemented |  |  |  | 00 01 | 
            virtual_server/real_server/UDP_CHECK | require_reply | * | implemented |  |  |  | 00 | 
            virtual_server/real_server/UDP_CHECK | min_reply_length | 1 | implemented |  |  |  | 1 | 
            virtual_server/real_server/UDP_CHECK | max_reply_length | 1 | implemented |  |  |  | 100 | 
            virtual_server/real_server | HTTP_GET | 0 | implemented |  |  |  | {\\n      url {\\n        path /\\n        status_code 200\\n      }\\n    } | 
            virtual_server/real_server/HTTP_GET | connect_ip | 1 | implemented |  |  |  | 192.0.2.3 | 
            virtual_server/real_server/HTTP_GET | connect_port | 1 | implemented |  |  |  | 8080 | 
            virtual_server/real_server/HTTP_GET | bindto | 1 | implemented |  |  |  | 192.0.2.250 | 
            virtual_server/real_server/HTTP_GET | bind_port | 1 | implemented |  |  |  | 40000 | 
            virtual_server/real_server/HTTP_GET | bind_if | 1 | notice |  |  | checker sockets are not bound to an interface | eth0 | 
            virtual_server/real_server/HTTP_GET | connect_timeout | 1 | implemented |  |  |  | 3 | 
            virtual_server/real_server/HTTP_GET | fwmark | 1 | notice |  |  | checker packets are not marked | 7 | 
            virtual_server/real_server/HTTP_GET | retry | 1 | implemented |  |  |  | 2 | 
            virtual_server/real_server/HTTP_GET | delay_before_retry | 1 | implemented |  |  |  | 2 | 
            virtual_server/real_server/HTTP_GET | warmup | 1 | implemented |  |  |  | 5 | 
            virtual_server/real_server/HTTP_GET | delay_loop | 1 | implemented |  |  |  | 5 | 
            virtual_server/real_server/HTTP_GET | alpha | 1 | implemented |  |  |  |  | 
            virtual_server/real_server/HTTP_GET | log_all_failures | 1 | implemented |  |  |  |  | 
            virtual_server/real_server/HTTP_GET | nb_get_retry | 1 | deprecated-alias | retry | fails | nb_get_retry is deprecated - please use 'retry' | 2 | 
            virtual_server/real_server/HTTP_GET | virtualhost | 1 | implemented |  |  |  | www.example.com | 
            virtual_server/real_server/HTTP_GET | http_protocol | 1 | implemented |  |  |  | 1.1 | 
            virtual_server/real_server/HTTP_GET | enable_sni | 1 | implemented |  |  |  |  | 
            virtual_server/real_server/HTTP_GET | fast_recovery | 1 | notice |  |  | fast_recovery is not applied: a failed real server is re-enabled after retry successes as usual |  | 
            virtual_server/real_server/HTTP_GET | url | 0 | implemented |  |  |  | {\\n      path /health\\n      status_code 200\\n    } | 
            virtual_server/real_server/HTTP_GET/url | path | 1 | implemented |  |  |  | /x | 
            virtual_server/real_server/HTTP_GET/url | digest | 1 | implemented |  |  |  | 9b3a0c85a887a256d6939da88aabd8cd | 
            virtual_server/real_server/HTTP_GET/url | status_code | * | implemented |  |  |  | 200-299 | 
            virtual_server/real_server/HTTP_GET/url | virtualhost | 1 | implemented |  |  |  | www.example.com | 
            virtual_server/real_server/HTTP_GET/url | regex | * | implemented |  |  |  | "OK" | 
            virtual_server/real_server/HTTP_GET/url | regex_no_match | 0 | implemented |  |  |  |  | 
            virtual_server/real_server/HTTP_GET/url | regex_options | * | notice |  |  | regex options are not applied (Java regular expressions, default options) | caseless | 
            virtual_server/real_server/HTTP_GET/url | regex_min_offset | 1 | notice |  |  | the whole page is searched | 0 | 
            virtual_server/real_server/HTTP_GET/url | regex_max_offset | 1 | notice |  |  | the whole page is searched | 100 | 
            virtual_server/real_server/HTTP_GET/url | regex_stack | 2 | notice |  |  | no PCRE JIT stack is used | 32768 | 
            virtual_server/real_server | SSL_GET | 0 | implemented |  |  |  | {\\n      url {\\n        path /\\n        status_code 200\\n      }\\n    } | 
            virtual_server/real_server/SSL_GET | connect_ip | 1 | implemented |  |  |  | 192.0.2.3 | 
            virtual_server/real_server/SSL_GET | connect_port | 1 | implemented |  |  |  | 8080 | 
            virtual_server/real_server/SSL_GET | bindto | 1 | implemented |  |  |  | 192.0.2.250 | 
            virtual_server/real_server/SSL_GET | bind_port | 1 | implemented |  |  |  | 40000 | 
            virtual_server/real_server/SSL_GET | bind_if | 1 | notice |  |  | checker sockets are not bound to an interface | eth0 | 
            virtual_server/real_server/SSL_GET | connect_timeout | 1 | implemented |  |  |  | 3 | 
            virtual_server/real_server/SSL_GET | fwmark | 1 | notice |  |  | checker packets are not marked | 7 | 
            virtual_server/real_server/SSL_GET | retry | 1 | implemented |  |  |  | 2 | 
            virtual_server/real_server/SSL_GET | delay_before_retry | 1 | implemented |  |  |  | 2 | 
            virtual_server/real_server/SSL_GET | warmup | 1 | implemented |  |  |  | 5 | 
            virtual_server/real_server/SSL_GET | delay_loop | 1 | implemented |  |  |  | 5 | 
            virtual_server/real_server/SSL_GET | alpha | 1 | implemented |  |  |  |  | 
            virtual_server/real_server/SSL_GET | log_all_failures | 1 | implemented |  |  |  |  | 
            virtual_server/real_server/SSL_GET | nb_get_retry | 1 | deprecated-alias | retry | fails | nb_get_retry is deprecated - please use 'retry' | 2 | 
            virtual_server/real_server/SSL_GET | virtualhost | 1 | implemented |  |  |  | www.example.com | 
            virtual_server/real_server/SSL_GET | http_protocol | 1 | implemented |  |  |  | 1.1 | 
            virtual_server/real_server/SSL_GET | enable_sni | 1 | implemented |  |  |  |  | 
            virtual_server/real_server/SSL_GET | fast_recovery | 1 | notice |  |  | fast_recovery is not applied: a failed real server is re-enabled after retry successes as usual |  | 
            virtual_server/real_server/SSL_GET | url | 0 | implemented |  |  |  | {\\n      path /health\\n      status_code 200\\n    } | 
            virtual_server/real_server/SSL_GET/url | path | 1 | implemented |  |  |  | /x | 
            virtual_server/real_server/SSL_GET/url | digest | 1 | implemented |  |  |  | 9b3a0c85a887a256d6939da88aabd8cd | 
            virtual_server/real_server/SSL_GET/url | status_code | * | implemented |  |  |  | 200-299 | 
            virtual_server/real_server/SSL_GET/url | virtualhost | 1 | implemented |  |  |  | www.example.com | 
            virtual_server/real_server/SSL_GET/url | regex | * | implemented |  |  |  | "OK" | 
            virtual_server/real_server/SSL_GET/url | regex_no_match | 0 | implemented |  |  |  |  | 
            virtual_server/real_server/SSL_GET/url | regex_options | * | notice |  |  | regex options are not applied (Java regular expressions, default options) | caseless | 
            virtual_server/real_server/SSL_GET/url | regex_min_offset | 1 | notice |  |  | the whole page is searched | 0 | 
            virtual_server/real_server/SSL_GET/url | regex_max_offset | 1 | notice |  |  | the whole page is searched | 100 | 
            virtual_server/real_server/SSL_GET/url | regex_stack | 2 | notice |  |  | no PCRE JIT stack is used | 32768 | 
            virtual_server/real_server | DNS_CHECK | 0 | implemented |  |  |  | {\\n      name example.com\\n    } | 
            virtual_server/real_server/DNS_CHECK | connect_ip | 1 | implemented |  |  |  | 192.0.2.3 | 
            virtual_server/real_server/DNS_CHECK | connect_port | 1 | implemented |  |  |  | 8080 | 
            virtual_server/real_server/DNS_CHECK | bindto | 1 | implemented |  |  |  | 192.0.2.250 | 
            virtual_server/real_server/DNS_CHECK | bind_port | 1 | implemented |  |  |  | 40000 | 
            virtual_server/real_server/DNS_CHECK | bind_if | 1 | notice |  |  | checker sockets are not bound to an interface | eth0 | 
            virtual_server/real_server/DNS_CHECK | connect_timeout | 1 | implemented |  |  |  | 3 | 
            virtual_server/real_server/DNS_CHECK | fwmark | 1 | notice |  |  | checker packets are not marked | 7 | 
            virtual_server/real_server/DNS_CHECK | retry | 1 | implemented |  |  |  | 2 | 
            virtual_server/real_server/DNS_CHECK | delay_before_retry | 1 | implemented |  |  |  | 2 | 
            virtual_server/real_server/DNS_CHECK | warmup | 1 | implemented |  |  |  | 5 | 
            virtual_server/real_server/DNS_CHECK | delay_loop | 1 | implemented |  |  |  | 5 | 
            virtual_server/real_server/DNS_CHECK | alpha | 1 | implemented |  |  |  |  | 
            virtual_server/real_server/DNS_CHECK | log_all_failures | 1 | implemented |  |  |  |  | 
            virtual_server/real_server/DNS_CHECK | type | 1 | implemented |  |  |  | A | 
            virtual_server/real_server/DNS_CHECK | name | 1 | implemented |  |  |  | example.com | 
            virtual_server/real_server | FILE_CHECK | 0 | implemented |  |  |  | {\\n      track_file tf\\n    } | 
            virtual_server/real_server/FILE_CHECK | track_file | 1 | implemented |  |  |  | tf | 
            virtual_server/real_server/FILE_CHECK | weight | 2 | implemented |  |  |  | 10 | 
            virtual_server/real_server | BFD_CHECK | 0 | refused |  |  | BFD is not implemented: the real server would never be checked | {\\n      name bf\\n    } | 
            virtual_server/real_server/BFD_CHECK | name | 1 | refused |  |  | inside BFD_CHECK, which is refused | bf | 
            virtual_server/real_server/BFD_CHECK | alpha | 1 | refused |  |  | inside BFD_CHECK, which is refused |  | 
            - | bfd_instance | 1 | notice |  |  | BFD sessions are not run (tracking one is refused) | x | 
            bfd_instance | source_ip | 1 | notice |  |  | BFD sessions are not run | 192.0.2.250 | 
            bfd_instance | neighbor_ip | 1 | notice |  |  | BFD sessions are not run | 192.0.2.8 | 
            bfd_instance | neighbour_ip | 1 | notice |  |  | BFD sessions are not run | 192.0.2.8 | 
            bfd_instance | min_rx | 1 | notice |  |  | BFD sessions are not run | 100 | 
            bfd_instance | min_tx | 1 | notice |  |  | BFD sessions are not run | 100 | 
            bfd_instance | idle_tx | 1 | notice |  |  | BFD sessions are not run | 1000 | 
            bfd_instance | multiplier | 1 | notice |  |  | BFD sessions are not run | 3 | 
            bfd_instance | passive | 0 | notice |  |  | BFD sessions are not run |  | 
            bfd_instance | ttl | 1 | notice |  |  | BFD sessions are not run | 255 | 
            bfd_instance | hoplimit | 1 | notice |  |  | BFD sessions are not run | 255 | 
            bfd_instance | max_hops | 1 | notice |  |  | BFD sessions are not run | 1 | 
            bfd_instance | weight | 0 | notice |  |  | BFD sessions are not run | 10 | 
            bfd_instance | vrrp | 0 | notice |  |  | BFD sessions are not run |  | 
            bfd_instance | checker | 0 | notice |  |  | BFD sessions are not run |  | 
            - | track_file | 1 | implemented |  |  |  | x | 
            track_file | file | 1 | implemented |  |  |  | "/tmp/javalived-keyword-track" | 
            track_file | weight | 2 | implemented |  |  |  | 10 | 
            track_file | init_file | * | implemented |  |  |  | 0 | 
            - | vrrp_track_file | * | deprecated-alias | track_file |  | "vrrp_track_file" is deprecated, please use "track_file" | x | 
            vrrp_track_file | file | 1 | implemented |  |  |  | "/tmp/javalived-keyword-track" | 
            vrrp_track_file | weight | 2 | implemented |  |  |  | 10 | 
            vrrp_track_file | init_file | * | implemented |  |  |  | 0 | 
            global_defs | v3_checksum_as_v2 | 1 | javalived-extension |  | fails | javalived extension (VRRPv3 checksum without the pseudo-header, for old peers); keepalived 2.2.7 reports an unknown keyword, and so javalived check fails as keepalived -t would |  | KeepalivedConfigReaderTest
            global_defs | vrrp_v3_checksum_as_v2 | 1 | javalived-extension |  | fails | as v3_checksum_as_v2 |  | KeepalivedConfigReaderTest
            virtual_server/real_server/HTTP_GET | sni_name | 1 | javalived-extension |  | fails | javalived extension (the TLS SNI name to send); keepalived 2.2.7 reports an unknown keyword, and so javalived check fails as keepalived -t would | www.example.com | CheckerFactoryTest
            virtual_server/real_server/SSL_GET | sni_name | 1 | javalived-extension |  | fails | as in HTTP_GET | www.example.com | CheckerFactoryTest
            """;

    private static final List<Entry> ENTRIES;
    private static final Map<String, Entry> BY_KEY = new LinkedHashMap<>();
    private static final Set<String> KEYWORDS = new TreeSet<>();

    static {
        List<Entry> l = new ArrayList<>();
        for (String line : TABLE.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\\|", -1);
            if (f.length != 9) {
                throw new IllegalStateException("KeywordCatalog row needs 9 fields: " + line);
            }
            Entry e = new Entry(f[0].strip(), f[1].strip(), f[2].strip(), Status.of(f[3].strip()), f[4].strip(),
                    f[5].strip().equals("fails"), f[6].strip(), f[7].strip().replace("\\n", "\n"), f[8].strip());
            if (BY_KEY.putIfAbsent(key(e.block(), e.keyword()), e) != null) {
                throw new IllegalStateException("KeywordCatalog row repeated: " + line);
            }
            KEYWORDS.add(e.keyword());
            l.add(e);
        }
        ENTRIES = Collections.unmodifiableList(l);
    }

    private static String key(String block, String keyword) {
        return block + "\u0000" + keyword;
    }

    /** Every row, in keepalived's order of installation. */
    public static List<Entry> entries() {
        return ENTRIES;
    }

    /** The row of {@code keyword} in block {@code block} (a keepalived block path), if keepalived has it there. */
    public static Optional<Entry> lookup(String block, String keyword) {
        return Optional.ofNullable(BY_KEY.get(key(block, keyword)));
    }

    /** Whether {@code word} is a keepalived keyword of any block. */
    static boolean isKnownKeyword(String word) {
        return KEYWORDS.contains(word);
    }

    /** The notices among {@code warnings}: one line naming each keyword accepted but not acted upon. */
    public static Optional<String> notActedUpon(List<ConfigWarning> warnings) {
        Set<String> kws = new TreeSet<>();
        for (ConfigWarning w : warnings) {
            if (w.message().contains(NOT_ACTED_UPON)) {
                kws.add(w.keyword());
            }
        }
        if (kws.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("keepalived keyword(s) accepted but not acted upon by javalived (see the notices above "
                + "and config/KEYWORDS.md): " + String.join(", ", kws));
    }

    // ------------------------------------------------------------ KEYWORDS.md

    /** KEYWORDS.md, generated from the rows. */
    public static String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# keepalived 2.2.7 keywords in javalived\n\n");
        sb.append("Generated from `config/src/main/java/io/javalived/config/KeywordCatalog.java` - do not edit; ")
                .append("regenerate with `mvn -B -o -q -pl config test -Dtest=KeywordCatalogTest ")
                .append("-Djavalived.keywords.write=true`.\n\n");
        sb.append("Every keyword keepalived 2.2.7's parsers install (global_parser.c, vrrp_parser.c, check_parser.c, ")
                .append("check_*.c, bfd_parser.c, track_file.c), by block, with what javalived does with it:\n\n")
                .append("* **implemented** - applied with keepalived's semantics;\n")
                .append("* **notice** - accepted, with a notice at `javalived check` and at start (file:line and ")
                .append("what is not done);\n")
                .append("* **refused** - a configuration error at file:line saying why (`javalived check` exits 5);\n")
                .append("* **deprecated-alias** - accepted with keepalived's deprecation message, read as the ")
                .append("keyword named (an error for `check` where keepalived -t counts it as one);\n")
                .append("* **javalived-extension** - not keepalived's; reported as keepalived -t reports it.\n\n")
                .append("`words`: how many words after the keyword keepalived reads (`*` all; `script`: the ")
                .append("line is re-read with quotes and escapes, command then user and group; ")
                .append("`script-no-user`: command only). Further words on the line are not applied - keepalived ")
                .append("ignores them silently, javalived says so at file:line.\n\n")
                .append("Every row is exercised by `KeywordCatalogTest.everyKeywordAsCatalogued` (its sample line ")
                .append("is read and the notice, refusal or deprecation message checked) and by ")
                .append("`KeepalivedCheckAgreementTest` (a file per row: `javalived check` and `keepalived -t` ")
                .append("give the same verdict, or the difference is a listed refusal). The test column names ")
                .append("further tests.\n\n");
        Map<Status, Integer> counts = new LinkedHashMap<>();
        for (Status s : Status.values()) {
            counts.put(s, 0);
        }
        ENTRIES.forEach(e -> counts.merge(e.status(), 1, Integer::sum));
        sb.append("| status | rows |\n|---|---|\n");
        counts.forEach((s, n) -> sb.append("| ").append(s.label).append(" | ").append(n).append(" |\n"));
        sb.append("| silent (accepted, not acted upon, no notice) | 0 |\n\n");
        String block = null;
        for (Entry e : ENTRIES) {
            if (!e.block().equals(block)) {
                block = e.block();
                sb.append("\n## ").append(block.equals("-") ? "top level" : block).append("\n\n");
                sb.append("| keyword | words | status | note | test |\n|---|---|---|---|---|\n");
            }
            String note = e.note();
            if (e.status() == Status.DEPRECATED_ALIAS) {
                note = (e.alias().isEmpty() || e.alias().equals("!") ? "" : "read as `" + e.alias() + "`. ")
                        + (e.keepalivedFails() ? "keepalived -t counts it as an error. " : "") + "Message: " + note;
            } else if (e.keepalivedFails()) {
                note = note + " (`check` fails, as keepalived -t does)";
            }
            sb.append("| `").append(e.keyword()).append("` | ").append(e.words()).append(" | ")
                    .append(e.status().label).append(" | ").append(note.replace("|", "\\|")).append(" | ")
                    .append(e.test()).append(" |\n");
        }
        return sb.toString();
    }

    // ------------------------------------------------------------ keyword corpus

    private static final String VI = "vrrp_instance VI_1 {\n  state BACKUP\n  interface eth0\n  virtual_router_id 51\n"
            + "  priority 100\n  advert_int 1\n  virtual_ipaddress {\n    192.0.2.10/32\n  }\n%s}\n";
    private static final String VS = "virtual_server 192.0.2.1 80 {\n  protocol TCP\n  lb_algo rr\n  lb_kind NAT\n"
            + "%s  real_server 192.0.2.2 80 {\n    weight 1\n%s  }\n}\n";
    private static final String SEC = "global_defs {\n  enable_script_security\n  script_user root\n}\n";
    private static final String DEFS = "vrrp_script chk {\n  script \"/bin/true\"\n}\ntrack_file tf {\n"
            + "  file \"/tmp/javalived-keyword-track\"\n}\nvrrp_track_process tp {\n  process sshd\n}\n"
            + "bfd_instance bf {\n  neighbor_ip 192.0.2.8\n}\n";
    private static final Map<String, String> CHECK_BASE = Map.of("MISC_CHECK", "misc_path \"/bin/true\"\n",
            "FILE_CHECK", "track_file tf\n", "BFD_CHECK", "name bf\n",
            "HTTP_GET", "url {\n  path /\n  status_code 200\n}\n", "SSL_GET", "url {\n  path /\n  status_code 200\n}\n");

    private static String line(Entry e, String indent) {
        return indent + e.keyword() + (e.sample().isEmpty() ? "" : " " + e.sample().replace("\n", "\n" + indent))
                + "\n";
    }

    private static String indent(String text, String indent) {
        StringBuilder sb = new StringBuilder();
        for (String l : text.split("\n", -1)) {
            if (!l.isEmpty()) {
                sb.append(indent).append(l).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * A whole keepalived.conf that uses the row's keyword with its sample arguments in a minimal valid context
     * (interface {@code eth0}; the track file {@code /tmp/javalived-keyword-track}): the keyword corpus.
     */
    public static String sampleConfig(Entry e) {
        String p = e.block();
        String k = e.keyword();
        switch (p) {
            case "-" -> {
                return switch (k) {
                    case "global_defs" -> SEC;
                    case "vrrp_instance" -> SEC + VI.formatted("");
                    case "vrrp_sync_group" -> SEC + VI.formatted("") + "vrrp_sync_group G1 {\n  group {\n    VI_1\n  }\n}\n";
                    case "virtual_server" -> VS.formatted("", "");
                    case "virtual_server_group" -> "virtual_server_group G {\n  192.0.2.5 80\n}\nvirtual_server group G {\n"
                            + "  protocol TCP\n  lb_algo rr\n  lb_kind NAT\n  real_server 192.0.2.2 80 {\n    weight 1\n  }\n}\n";
                    case "vrrp_script" -> SEC + "vrrp_script chk {\n  script \"/bin/true\"\n}\n"
                            + VI.formatted("  track_script {\n    chk\n  }\n");
                    case "track_file", "vrrp_track_file" -> k + " tf {\n  file \"/tmp/javalived-keyword-track\"\n}\n"
                            + VI.formatted("  track_file {\n    tf\n  }\n");
                    case "vrrp_track_process" -> "vrrp_track_process tp {\n  process sshd\n}\n" + VI.formatted("");
                    case "bfd_instance" -> "bfd_instance bf {\n  neighbor_ip 192.0.2.8\n}\n";
                    case "SSL" -> "SSL {\n  password pw\n}\n";
                    case "static_ipaddress" -> "static_ipaddress {\n  192.0.2.20/32 dev eth0\n}\n";
                    case "static_routes" -> "static_routes {\n  198.51.100.0/24 via 192.0.2.1 dev eth0\n}\n";
                    case "static_rules" -> "static_rules {\n  from 192.0.2.20 table 100\n}\n";
                    case "track_group" -> "track_group TG {\n  group {\n    VI_1\n  }\n}\n" + VI.formatted("");
                    case "garp_group" -> "garp_group {\n  garp_interval 1\n  interface eth0\n}\n";
                    case "linkbeat_interfaces" -> "linkbeat_interfaces {\n  eth0\n}\n";
                    case "interface_up_down_delays" -> "interface_up_down_delays {\n  eth0 1 2\n}\n";
                    default -> line(e, "");
                };
            }
            case "global_defs" -> {
                return "global_defs {\n" + line(e, "  ") + "}\n";
            }
            case "vrrp_instance" -> {
                return SEC + DEFS + VI.formatted(line(e, "  "));
            }
            case "vrrp_instance/authentication" -> {
                return VI.formatted("  authentication {\n" + line(e, "    ") + "  }\n");
            }
            case "vrrp_sync_group" -> {
                return SEC + DEFS + VI.formatted("") + "vrrp_sync_group G1 {\n"
                        + (k.equals("group") ? "" : "  group {\n    VI_1\n  }\n") + line(e, "  ") + "}\n";
            }
            case "vrrp_script" -> {
                return SEC + "vrrp_script chk {\n" + (k.equals("script") ? "" : "  script \"/bin/true\"\n")
                        + line(e, "  ") + "}\n" + VI.formatted("  track_script {\n    chk\n  }\n");
            }
            case "track_file", "vrrp_track_file" -> {
                return p + " tf {\n" + (k.equals("file") ? "" : "  file \"/tmp/javalived-keyword-track\"\n")
                        + line(e, "  ") + "}\n" + VI.formatted("  track_file {\n    tf\n  }\n");
            }
            case "vrrp_track_process" -> {
                return "vrrp_track_process tp {\n" + (k.equals("process") ? "" : "  process sshd\n") + line(e, "  ")
                        + "}\n" + VI.formatted("");
            }
            case "bfd_instance" -> {
                return "bfd_instance bf {\n" + (k.startsWith("neighbo") ? "" : "  neighbor_ip 192.0.2.8\n")
                        + line(e, "  ") + "}\n";
            }
            case "SSL" -> {
                return "SSL {\n" + line(e, "  ") + "}\n";
            }
            case "garp_group" -> {
                return "garp_group {\n" + (k.startsWith("interface") ? "" : "  interface eth0\n")
                        + (k.endsWith("_interval") ? "" : "  garp_interval 1\n") + line(e, "  ")
                        + "}\n";
            }
            case "track_group" -> {
                return "track_group TG {\n" + line(e, "  ") + "}\n" + VI.formatted("");
            }
            case "virtual_server" -> {
                return SEC + VS.formatted(line(e, "  "), "");
            }
            case "virtual_server/real_server" -> {
                return SEC + DEFS + VS.formatted("", line(e, "    "));
            }
            default -> {
                // a checker, or a url / host block in one
                String[] parts = p.split("/");
                String type = parts[2];
                String inner;
                if (parts.length == 3) {
                    String base = CHECK_BASE.getOrDefault(type, "");
                    if (k.equals("misc_path") || k.equals("track_file") || k.equals("name")
                            || k.equals("url") && (type.equals("HTTP_GET") || type.equals("SSL_GET"))) {
                        base = "";
                    }
                    inner = "    " + type + " {\n" + indent(base, "      ") + line(e, "      ") + "    }\n";
                } else if (parts[3].equals("url")) {
                    inner = "    " + type + " {\n      url {\n" + (k.equals("path") ? "" : "        path /\n")
                            + (k.equals("status_code") || k.equals("digest") ? "" : "        status_code 200\n")
                            + line(e, "        ") + "      }\n    }\n";
                } else {
                    inner = "    " + type + " {\n      host {\n"
                            + (k.equals("connect_ip") ? "" : "        connect_ip 192.0.2.4\n") + line(e, "        ")
                            + "      }\n    }\n";
                }
                return SEC + DEFS + VS.formatted("", inner);
            }
        }
    }
}
