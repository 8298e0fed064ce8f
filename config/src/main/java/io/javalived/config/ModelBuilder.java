package io.javalived.config;

import io.javalived.config.model.GlobalDefs;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.config.model.Origin;
import io.javalived.config.model.VirtualIpAddress;
import io.javalived.config.model.VirtualRoute;
import io.javalived.config.model.VirtualRule;
import io.javalived.config.model.VirtualServer;
import io.javalived.config.model.VrrpInstance;
import io.javalived.config.model.VrrpSyncGroup;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the statement tree into the typed model: hands each top-level block to the parser of its kind (as
 * keepalived's global_parser.c, vrrp_parser.c and check_parser.c), then builds the model with every default and the
 * inheritance resolved and the references cross-checked (track_script names, sync group members, virtual server
 * groups). Errors are collected (reading goes on, as keepalived's does) and reported together.
 *
 * <p>The parsers: {@link GlobalDefsParser}; {@link TrackParser} (vrrp_script, track_file and the track lists),
 * {@link SyncGroupParser}, {@link VrrpInstanceParser} with {@link IpBlockParser} (addresses, routes, rules, unicast
 * peers); {@link VirtualServerGroupParser}, {@link VirtualServerParser}, {@link RealServerParser} and one
 * {@link CheckerParser} per checker type. Their statement helpers are in {@link BlockParser}; what they share is in
 * {@link ParseContext}.
 */
final class ModelBuilder extends BlockParser {
    private static final Set<String> TOP_IGNORED = Set.of(
            "net_namespace", "net_namespace_ipvs", "namespace_with_ipsets", "instance", "use_pid_dir",
            "linkbeat_use_polling", "child_wait_time", "static_ipaddress", "static_routes", "static_rules",
            "linkbeat_interfaces", "garp_group", "bfd_instance", "SSL", "track_group",
            "interface_up_down_delays");

    private final GlobalDefsParser global = new GlobalDefsParser(cx);
    private final TrackParser track = new TrackParser(cx);
    private final IpBlockParser ip = new IpBlockParser(cx);
    private final SyncGroupParser syncGroups = new SyncGroupParser(cx, track);
    private final VrrpInstanceParser instances = new VrrpInstanceParser(cx, track, ip);
    private final VirtualServerGroupParser vsGroups = new VirtualServerGroupParser(cx);
    private final VirtualServerParser virtualServers = new VirtualServerParser(cx);
    final List<VirtualIpAddress> staticAddresses = new ArrayList<>();
    final List<VirtualRoute> staticRoutes = new ArrayList<>();
    final List<VirtualRule> staticRules = new ArrayList<>();

    ModelBuilder(List<ConfigWarning> warnings, List<ConfigException> errors) {
        super(new ParseContext(warnings, errors));
    }

    /** Interfaces the configuration names, with where (for the interface-existence check). */
    Map<String, Origin> interfacesNamed() {
        return cx.interfacesNamed;
    }

    /** Scripts the configuration would run, with where (for the script-security check). */
    List<ParseContext.ScriptUse> scriptsUsed() {
        return cx.scriptsUsed;
    }

    /** Every script_user line (keepalived checks each one). */
    List<ParseContext.UserRef> scriptUsers() {
        return cx.scriptUsers;
    }

    KeepalivedConfig build(List<ConfigNode> top) {
        ConfigNode root = new ConfigNode("", List.of(), null, 0);
        root.children = top;
        for (ConfigNode n : top) {
            if (n.keyword.equals("bfd_instance") && !n.args.isEmpty()) {
                cx.bfdInstances.add(n.args.get(0));
            }
        }
        // one pass in file order: like keepalived, a vrrp_script or track_file must be defined before it is used
        each(root, "-", n -> {
            cx.topSeq++;
            switch (n.keyword) {
                case "global_defs" -> {
                    if (needBlock(n)) {
                        global.parse(n);
                    }
                }
                case "vrrp_script" -> track.vrrpScript(n);
                case "track_file", "vrrp_track_file" -> track.trackFile(n);
                case "vrrp_track_process" -> track.trackProcess(n);
                case "vrrp_sync_group" -> syncGroups.parse(n);
                case "vrrp_instance" -> instances.parse(n);
                case "virtual_server_group" -> vsGroups.parse(n);
                case "virtual_server" -> virtualServers.parse(n);
                case "static_ipaddress" -> {
                    List<VirtualIpAddress> l = new ArrayList<>();
                    ip.vipBlock(n, l, new ArrayList<>());
                    staticAddresses.addAll(l);
                }
                case "static_routes" -> ip.routeBlock(n, staticRoutes);
                case "static_rules" -> ip.ruleBlock(n, staticRules);
                default -> {
                    if (TOP_IGNORED.contains(n.keyword)) {
                        ignored(n);
                    } else {
                        unknown(n);
                    }
                }
            }
        });
        GlobalDefs g = global.build();
        List<VrrpInstance> vrrp = instances.build(g, syncGroups.memberTrackingWeight());
        Set<String> names = new HashSet<>();
        for (VrrpInstance i : vrrp) {
            names.add(i.name());
        }
        List<VrrpSyncGroup> groups = syncGroups.build(names, g);
        List<VirtualServer> servers = virtualServers.build(g);
        return new KeepalivedConfig(g, cx.scripts, cx.trackFiles, groups, vrrp, cx.vsGroups, servers,
                staticAddresses, staticRoutes, staticRules, cx.trackProcesses);
    }
}
