package io.javalived.config;

import io.javalived.inet.InetText;
import io.javalived.config.model.Authentication;
import io.javalived.config.model.GlobalDefs;
import io.javalived.config.model.NotifyScript;
import io.javalived.config.model.TrackedInterface;
import io.javalived.config.model.UnicastPeer;
import io.javalived.config.model.VirtualIpAddress;
import io.javalived.config.model.VirtualRoute;
import io.javalived.config.model.VirtualRule;
import io.javalived.config.model.TrackedScript;
import io.javalived.config.model.TrackedFile;
import io.javalived.config.model.VrrpInstance;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * vrrp_instance (keepalived's vrrp_parser.c): its keywords while reading, then — once global_defs is known — its
 * defaults (version, priority, advert_int rounding, accept, multicast group, garp), family and consistency checks.
 * The address blocks are read by {@link IpBlockParser}, the track lists by {@link TrackParser}.
 */
final class VrrpInstanceParser extends BlockParser {
    private final TrackParser track;
    private final IpBlockParser ip;
    private final List<InstanceDraft> drafts = new ArrayList<>();
    private final Map<String, InstanceDraft> instanceByName = new HashMap<>();

    VrrpInstanceParser(ParseContext cx, TrackParser track, IpBlockParser ip) {
        super(cx);
        this.track = track;
        this.ip = ip;
    }

    /** The instances read, with the defaults of {@code g}; two multicast instances may not share a VRID. */
    List<VrrpInstance> build(GlobalDefs g) {
        return build(g, java.util.Map.of());
    }

    /**
     * As {@link #build(GlobalDefs)}; {@code syncTrackingWeight} maps each sync group member to whether its group has
     * sync_group_tracking_weight (keepalived drops tracking weights of members of groups without it).
     */
    List<VrrpInstance> build(GlobalDefs g, java.util.Map<String, Boolean> syncTrackingWeight) {
        List<VrrpInstance> instances = new ArrayList<>();
        for (InstanceDraft d : drafts) {
            try {
                VrrpInstance vi = d.build(g, Boolean.FALSE.equals(syncTrackingWeight.get(d.name)));
                if (vi != null) {
                    instances.add(vi);
                }
            } catch (ConfigException e) {
                cx.errors.add(e);
            }
        }
        checkVrids(instances);
        return instances;
    }

    private final class InstanceDraft {
        /**
         * keepalived 2.2.7 (vrrp_complete_instance): a member of a sync group without sync_group_tracking_weight
         * keeps its trackers but not their weights (interfaces: weight 0; weighted scripts: dropped; files: the
         * default weight 1 becomes 0, another weight drops the file); an address owner (priority 255) drops
         * weighted trackers. Each is reported as keepalived reports it (a configuration error for its -t).
         */
        void dropTrackingWeights(boolean sync, List<TrackedInterface> tIf, List<TrackedScript> tScripts,
                                 List<TrackedFile> tFiles) {
            String why = sync ? "SYNC group" : "address_owner";
            for (int i = 0; i < tIf.size(); i++) {
                TrackedInterface t = tIf.get(i);
                if (t.weight() != 0) {
                    warn(node, "(" + name + ") ignoring " + t.name() + " tracked interface " + (sync ? "weight " : "")
                            + "due to " + (sync ? "SYNC group" : "address owner"));
                    if (sync) {
                        tIf.set(i, new TrackedInterface(t.name(), 0, t.reverse()));
                    } else {
                        tIf.remove(i--);
                    }
                }
            }
            for (int i = 0; i < tScripts.size(); i++) {
                TrackedScript t = tScripts.get(i);
                if (t.weight() != 0) {
                    warn(node, "(" + name + ") ignoring tracked script " + t.name() + " with weights due to " + why);
                    tScripts.remove(i--);
                }
            }
            for (int i = 0; i < tFiles.size(); i++) {
                TrackedFile t = tFiles.get(i);
                if (t.weight() == 1) {
                    warn(node, "(" + name + ") ignoring weight from tracked file " + t.name() + " due to " + why
                            + ". specify weight 0");
                    tFiles.set(i, new TrackedFile(t.name(), 0, t.reverse()));
                } else if (t.weight() != 0) {
                    warn(node, "(" + name + ") ignoring tracked file " + t.name() + " with weight " + t.weight()
                            + " due to " + why);
                    tFiles.remove(i--);
                }
            }
        }

        ConfigNode node;
        String name;
        VrrpInstance.State state;
        Optional<String> ifname = Optional.empty();
        int vrid = -1;
        Integer priority;
        Duration advert = Duration.ofSeconds(1);
        ConfigNode advertNode;
        Integer version;
        boolean nopreempt;
        Duration preemptDelay = Duration.ZERO;
        Optional<Authentication> auth = Optional.empty();
        List<VirtualIpAddress> vips = new ArrayList<>();
        List<ConfigNode> vipNodes = new ArrayList<>();
        List<VirtualIpAddress> evips = new ArrayList<>();
        List<VirtualRoute> routes = new ArrayList<>();
        List<VirtualRule> rules = new ArrayList<>();
        Optional<InetAddress> unicastSrc = Optional.empty();
        List<UnicastPeer> peers = new ArrayList<>();
        List<ConfigNode> peerNodes = new ArrayList<>();
        Optional<InetAddress> mcastSrc = Optional.empty();
        Optional<InetAddress> mcastDst = Optional.empty();
        List<TrackedInterface> trackIf = new ArrayList<>();
        List<TrackParser.TrackEntry> trackScript = new ArrayList<>();
        List<TrackParser.TrackEntry> trackFile = new ArrayList<>();
        List<TrackParser.TrackEntry> trackProcess = new ArrayList<>();
        Map<String, NotifyScript> notify = new HashMap<>();
        Boolean smtpAlert;
        Optional<Boolean> notifyPriorityChanges = Optional.empty();
        Duration garpMasterDelay;
        Integer garpMasterRepeat;
        Duration garpMasterRefresh;
        Integer garpMasterRefreshRepeat;
        Duration garpLowerPrioDelay;
        Integer garpLowerPrioRepeat;
        boolean useVmac;
        Optional<String> vmacName = Optional.empty();
        boolean vmacXmitBase;
        Boolean accept;
        boolean dontTrackPrimary;
        Boolean strict;
        Boolean skipCheckAdvAddr;
        boolean checkUnicastSrc;
        Optional<Integer> unicastTtl = Optional.empty();
        int downTimerAdverts = 3;
        boolean lowerPrioNoAdvert;
        boolean higherPrioSendAdvert;
        boolean promoteSecondaries;
        boolean nativeIpv6;
        boolean unicastKeyword;

        boolean hadErrors;

        VrrpInstance build(GlobalDefs g, boolean syncNoTrackingWeight) throws ConfigException {
            if (vrid < 0 && hadErrors) {
                return null; // its virtual_router_id line was already reported
            }
            if (vrid < 0) {
                throw err(node, "(" + name + ") the virtual router id must be set (virtual_router_id 1..255)");
            }
            if (ifname.isEmpty()) {
                throw err(node, "(" + name + ") Unknown interface! (set 'interface')");
            }
            // family: from the VIPs, else from the unicast peers / source, else IPv4
            VrrpInstance.Family family = null;
            for (int i = 0; i < vips.size(); i++) {
                VrrpInstance.Family f = vips.get(i).isIpv6() ? VrrpInstance.Family.INET6 : VrrpInstance.Family.INET;
                if (family == null) {
                    family = f;
                } else if (f != family) {
                    error(vipNodes.get(i), "(" + name + "): address family must match VRRP instance ["
                            + InetText.ntop(vips.get(i).address()) + "] - all virtual_ipaddress entries must be "
                            + (family == VrrpInstance.Family.INET ? "IPv4" : "IPv6")
                            + " (use virtual_ipaddress_excluded for the other family)");
                }
            }
            if (family == null) {
                if (!peers.isEmpty()) {
                    family = Values.isV6(peers.get(0).address()) ? VrrpInstance.Family.INET6 : VrrpInstance.Family.INET;
                } else if (unicastSrc.isPresent()) {
                    family = Values.isV6(unicastSrc.get()) ? VrrpInstance.Family.INET6 : VrrpInstance.Family.INET;
                } else {
                    family = nativeIpv6 ? VrrpInstance.Family.INET6 : VrrpInstance.Family.INET;
                }
            }
            boolean v6 = family == VrrpInstance.Family.INET6;
            for (int i = 0; i < peers.size(); i++) {
                if (Values.isV6(peers.get(i).address()) != v6) {
                    error(peerNodes.get(i), "VRRP instance[" + name + "] and unicast peer address["
                            + InetText.ntop(peers.get(i).address()) + "] MUST be of the same family");
                }
            }
            for (Optional<InetAddress> src : List.of(unicastSrc, mcastSrc)) {
                if (src.isPresent() && Values.isV6(src.get()) != v6) {
                    error(node, "(" + name + ") source address " + InetText.ntop(src.get())
                            + " is not of the instance's address family");
                }
            }
            int ver = version != null ? version : g.vrrpVersion();
            if (v6) {
                if (version != null && version == 2) {
                    error(node, "(" + name + ") IPv6 instances must use VRRP version 3");
                }
                ver = 3;
            }
            VrrpInstance.State st = state == null ? VrrpInstance.State.BACKUP : state;
            int prio = priority != null ? priority : (st == VrrpInstance.State.MASTER ? 255 : 100);
            boolean preempt = !nopreempt;
            if (nopreempt && st == VrrpInstance.State.MASTER) {
                cx.warnings.add(new ConfigWarning(node.file, node.line, "nopreempt",
                        "(" + name + ") Warning - nopreempt will not work with initial state MASTER - clearing"));
                preempt = true;
            } else if (nopreempt && prio == 255) {
                cx.warnings.add(new ConfigWarning(node.file, node.line, "nopreempt",
                        "(" + name + ") nopreempt is incompatible with priority 255 - resetting nopreempt"));
                preempt = true;
            }
            Duration pdelay = preemptDelay;
            if (st == VrrpInstance.State.MASTER && !pdelay.isZero()) {
                cx.warnings.add(new ConfigWarning(node.file, node.line, "preempt_delay",
                        "(" + name + ") Warning - preempt delay will not work with initial state MASTER - clearing"));
                pdelay = Duration.ZERO;
            } else if (!preempt && !pdelay.isZero()) {
                cx.warnings.add(new ConfigWarning(node.file, node.line, "preempt_delay",
                        "(" + name + ") preempt_delay is incompatible with nopreempt mode - resetting"));
                pdelay = Duration.ZERO;
            }
            Duration adv = roundAdvert(ver);
            boolean strictMode = strict != null ? strict : g.vrrpStrict();
            if (strictMode) {
                if (auth.isPresent()) {
                    error(node, "(" + name + ") strict mode does not support authentication");
                }
            }
            if (auth.isPresent() && auth.get().type() == Authentication.Type.AH
                    && st == VrrpInstance.State.MASTER && prio != 255) {
                cx.warnings.add(new ConfigWarning(node.file, node.line, "auth_type",
                        "(" + name + ") Initial state master is incompatible with AH authentication - clearing"));
            }
            if (strictMode && st == VrrpInstance.State.MASTER && prio != 255) {
                cx.warnings.add(new ConfigWarning(node.file, node.line, "state",
                        "(" + name + ") Strict mode requires state MASTER only for the address owner (priority 255)"
                                + " - setting BACKUP"));
            }
            if ((unicastSrc.isPresent() || unicastKeyword) && peers.isEmpty()) {
                cx.warnings.add(new ConfigWarning(node.file, node.line, "unicast_peer",
                        "(" + name + ") A unicast keyword has been specified without any unicast peers."
                                + " Defaulting to multicast."));
            }
            if (useVmac && !peers.isEmpty() && !vmacXmitBase) {
                cx.warnings.add(new ConfigWarning(node.file, node.line, "use_vmac",
                        "(" + name + ") unicast with use_vmac requires vmac_xmit_base - setting"));
                vmacXmitBase = true;
            }
            if (vmacXmitBase && !useVmac) {
                cx.warnings.add(new ConfigWarning(node.file, node.line, "vmac_xmit_base",
                        "(" + name + ") vmac_xmit_base is only valid with a vmac"));
                vmacXmitBase = false;
            }
            if (nativeIpv6 && !vips.isEmpty() && !v6) {
                cx.warnings.add(new ConfigWarning(node.file, node.line, "native_ipv6",
                        "(" + name + ") Cannot specify native_ipv6 with IPv4 addresses"));
            }
            if (auth.isPresent() && ver == 3) {
                error(node, "(" + name + ") authentication is not supported with VRRP version 3");
            }
            if (vips.isEmpty()) {
                cx.warnings.add(new ConfigWarning(node.file, node.line, node.keyword,
                        "(" + name + ") No VIP specified; at least one is sensible"));
            }
            boolean acc = accept != null ? accept : !strictMode;
            if (strictMode && Boolean.TRUE.equals(accept)) {
                acc = true;
            }
            InetAddress dst = mcastDst.orElse(v6 ? g.vrrpMcastGroup6() : g.vrrpMcastGroup4());
            Duration gmd = garpMasterDelay != null ? garpMasterDelay : g.vrrpGarpMasterDelay();
            int gmr = garpMasterRepeat != null ? garpMasterRepeat : g.vrrpGarpMasterRepeat();
            Duration glpd = garpLowerPrioDelay != null ? garpLowerPrioDelay
                    : (garpMasterDelay != null ? garpMasterDelay : g.vrrpGarpLowerPrioDelay());
            int glpr = garpLowerPrioRepeat != null ? garpLowerPrioRepeat
                    : (garpMasterRepeat != null ? garpMasterRepeat : g.vrrpGarpLowerPrioRepeat());
            String owner = "(" + name + ")";
            List<TrackedInterface> tIf = new ArrayList<>(trackIf);
            if (tIf.removeIf(t -> t.name().equals(ifname.get()))) {
                warn(node, "(" + name + ") Ignoring track_interface " + ifname.get() + " since own interface");
            }
            List<TrackedScript> tScripts = new ArrayList<>(track.resolveScripts(trackScript, owner));
            List<TrackedFile> tFiles = new ArrayList<>(track.resolveFiles(trackFile, owner));
            if (syncNoTrackingWeight || prio == 255) {
                dropTrackingWeights(syncNoTrackingWeight, tIf, tScripts, tFiles);
            }
            return new VrrpInstance(name, st, ifname, vrid, prio, adv, ver, family, preempt, pdelay, auth,
                    vips, evips, routes, rules, unicastSrc, peers, mcastSrc, dst, tIf, tScripts, tFiles,
                    Optional.ofNullable(notify.get("notify")), Optional.ofNullable(notify.get("notify_master")),
                    Optional.ofNullable(notify.get("notify_backup")), Optional.ofNullable(notify.get("notify_fault")),
                    Optional.ofNullable(notify.get("notify_stop")),
                    Optional.ofNullable(notify.get("notify_master_rx_lower_pri")),
                    smtpAlert != null ? smtpAlert : g.smtpAlertVrrp().or(g::smtpAlert).orElse(false), gmd, gmr,
                    garpMasterRefresh != null ? garpMasterRefresh : g.vrrpGarpMasterRefresh(),
                    garpMasterRefreshRepeat != null ? garpMasterRefreshRepeat : g.vrrpGarpMasterRefreshRepeat(),
                    glpd, glpr, useVmac, vmacName, vmacXmitBase, acc, dontTrackPrimary, strictMode,
                    skipCheckAdvAddr != null ? skipCheckAdvAddr : g.vrrpSkipCheckAdvAddr(),
                    checkUnicastSrc || g.vrrpCheckUnicastSrc(), unicastTtl, downTimerAdverts, lowerPrioNoAdvert,
                    higherPrioSendAdvert, promoteSecondaries, origin(node), notifyPriorityChanges,
                    track.resolveProcesses(trackProcess, owner));
        }

        /** keepalived: v2 whole seconds (rounded, warned), v3 centiseconds (rounded, max 40.95 s). */
        private Duration roundAdvert(int ver) {
            ConfigNode at = advertNode != null ? advertNode : node;
            BigDecimal secs = BigDecimal.valueOf(advert.toNanos()).movePointLeft(9);
            if (ver == 2) {
                BigDecimal r = secs.setScale(0, RoundingMode.HALF_UP);
                if (r.signum() == 0) {
                    r = BigDecimal.ONE;
                }
                if (r.compareTo(secs) != 0) {
                    cx.warnings.add(new ConfigWarning(at.file, at.line, "advert_int", "(" + name
                            + ") VRRPv2 advertisement interval " + secs.stripTrailingZeros().toPlainString()
                            + "s must be an integer - rounding to " + r.toPlainString() + "s"));
                }
                return Duration.ofSeconds(r.longValue());
            }
            BigDecimal c = secs.movePointRight(2).setScale(0, RoundingMode.HALF_UP);
            if (c.signum() == 0) {
                c = BigDecimal.ONE;
            }
            if (c.compareTo(BigDecimal.valueOf(4095)) > 0) {
                cx.warnings.add(new ConfigWarning(at.file, at.line, "advert_int", "(" + name
                        + ") VRRPv3 advertisement interval " + secs.toPlainString()
                        + "s is out of range (must be less than 40.96s) - setting to 40.95s"));
                c = BigDecimal.valueOf(4095);
            } else if (c.movePointLeft(2).compareTo(secs) != 0) {
                cx.warnings.add(new ConfigWarning(at.file, at.line, "advert_int", "(" + name
                        + ") VRRPv3 advertisement interval " + secs.stripTrailingZeros().toPlainString()
                        + "s must be in units of 10ms - rounding"));
            }
            return Duration.ofMillis(c.longValue() * 10);
        }
    }

    /** Reads one vrrp_instance block (defaults and checks when built). */
    void parse(ConfigNode n) throws ConfigException {
        InstanceDraft d = new InstanceDraft();
        d.node = n;
        d.name = arg(n, 0);
        if (n.args.size() > 1) {
            warn(n, "vrrp_instance must have a name (one word): '" + String.join(" ", n.args) + "'");
        }
        if (!needBlock(n)) {
            return;
        }
        InstanceDraft o = instanceByName.putIfAbsent(d.name, d);
        if (o != null) {
            throw err(n, "vrrp instance " + d.name + " already defined (first at " + o.node.file + ":"
                    + o.node.line + ")");
        }
        drafts.add(d);
        String who = "(" + d.name + ")";
        int errorsBefore = cx.errors.size();
        try {
            instanceBody(n, d, who);
        } finally {
            d.hadErrors = cx.errors.size() > errorsBefore;
        }
    }

    private void instanceBody(ConfigNode n, InstanceDraft d, String who) {
        each(n, "vrrp_instance", s -> {
            switch (s.keyword) {
                case "virtual_ipaddress", "virtual_ipaddress_excluded", "virtual_routes", "unicast_peer",
                        "track_interface", "track_script", "track_file", "authentication", "virtual_rules",
                        "track_process", "track_bfd" -> { }
                default -> noBlock(s);
            }
            switch (s.keyword) {
                case "state" -> {
                    String v = arg(s, 0);
                    VrrpInstance.State st = switch (v) {
                        case "MASTER" -> VrrpInstance.State.MASTER;
                        case "BACKUP" -> VrrpInstance.State.BACKUP;
                        default -> throw err(s, who + " unknown state '" + v + "' (MASTER|BACKUP)");
                    };
                    if (d.state == VrrpInstance.State.MASTER && st == VrrpInstance.State.BACKUP) {
                        warn(s, who + " state previously set as " + d.state + " - ignoring " + st);
                    } else {
                        d.state = st;
                    }
                }
                case "interface" -> {
                    d.ifname = Optional.of(arg(s, 0));
                    cx.interfacesNamed.putIfAbsent(s.args.get(0), origin(s));
                }
                case "virtual_router_id" -> d.vrid = intArg(s, 0, 1, 255);
                case "priority" -> d.priority = intArg(s, 0, 1, 255);
                case "advert_int" -> {
                    d.advert = timerArg(s, 0, 0.01, 255);
                    d.advertNode = s;
                }
                case "version" -> d.version = intArg(s, 0, 2, 3);
                case "nopreempt" -> d.nopreempt = true;
                case "preempt" -> d.nopreempt = false;
                case "preempt_delay" -> d.preemptDelay = timerArg(s, 0, 0, 1000);
                case "authentication" -> d.auth = authentication(s, who);
                case "virtual_ipaddress" -> ip.vipBlock(s, d.vips, d.vipNodes);
                case "virtual_ipaddress_excluded" -> ip.vipBlock(s, d.evips, new ArrayList<>());
                case "virtual_routes" -> ip.routeBlock(s, d.routes);
                case "virtual_rules" -> ip.ruleBlock(s, d.rules);
                case "unicast_src_ip" -> d.unicastSrc = Optional.of(addrArg(s, 0));
                case "mcast_src_ip" -> d.mcastSrc = Optional.of(addrArg(s, 0));
                case "mcast_dst_ip" -> {
                    InetAddress a = addrArg(s, 0);
                    if (!a.isMulticastAddress()) {
                        throw err(s, who + " mcast_dst_ip " + s.args.get(0) + " is not a multicast address");
                    }
                    d.mcastDst = Optional.of(a);
                }
                case "unicast_peer" -> {
                    d.unicastKeyword = true;
                    ip.peerBlock(s, d.peers, d.peerNodes);
                }
                case "track_interface" -> d.trackIf.addAll(track.trackInterfaces(s));
                case "track_script" -> d.trackScript.addAll(track.trackEntries(s, -253, 253));
                case "track_file" -> d.trackFile.addAll(track.trackEntries(s, -254, 254));
                case "track_process" -> d.trackProcess.addAll(track.trackEntries(s, -254, 254));
                case "notify", "notify_master", "notify_backup", "notify_fault", "notify_stop",
                        "notify_master_rx_lower_pri" -> {
                    onceScript(s, Optional.ofNullable(d.notify.get(s.keyword)), who + " " + s.keyword)
                            .ifPresent(sc -> d.notify.put(s.keyword, sc));
                }
                case "smtp_alert" -> d.smtpAlert = boolArg(s);
                case "notify_priority_changes" -> d.notifyPriorityChanges = Optional.of(boolArg(s));
                case "garp_master_delay" -> d.garpMasterDelay = Duration.ofSeconds(intArg(s, 0, 0, 86400));
                case "garp_master_repeat" -> d.garpMasterRepeat = intArg(s, 0, 1, 65535);
                case "garp_master_refresh" -> d.garpMasterRefresh = Duration.ofSeconds(intArg(s, 0, 0, 86400));
                case "garp_master_refresh_repeat" -> d.garpMasterRefreshRepeat = intArg(s, 0, 1, 65535);
                case "garp_lower_prio_delay" -> d.garpLowerPrioDelay = Duration.ofSeconds(intArg(s, 0, 0, 86400));
                case "garp_lower_prio_repeat" -> d.garpLowerPrioRepeat = intArg(s, 0, 1, 65535);
                case "use_vmac" -> {
                    d.useVmac = true;
                    for (String a : s.args) {
                        if (a.contains(":")) {
                            throw err(s, who + " use_vmac with a MAC address (" + a + ") is refused by javalived:"
                                    + " the VMAC gets the VRRP virtual MAC 00:00:5e:00:01:VRID - remove the address");
                        }
                        d.vmacName = Optional.of(a);
                    }
                    if (d.vmacName.isPresent() && d.vmacName.get().length() > 15) {
                        throw err(s, who + " VMAC interface name '" + d.vmacName.get() + "' is longer than 15");
                    }
                }
                case "vmac_xmit_base" -> d.vmacXmitBase = true;
                case "accept" -> d.accept = true;
                case "no_accept" -> d.accept = false;
                case "dont_track_primary" -> d.dontTrackPrimary = true;
                case "strict_mode" -> d.strict = boolArg(s);
                case "skip_check_adv_addr" -> d.skipCheckAdvAddr = boolArg(s);
                case "check_unicast_src" -> {
                    d.checkUnicastSrc = true;
                    d.unicastKeyword = true;
                }
                case "unicast_ttl" -> {
                    d.unicastTtl = Optional.of(intArg(s, 0, 0, 255));
                    d.unicastKeyword = true;
                }
                case "down_timer_adverts" -> d.downTimerAdverts = intArg(s, 0, 1, 100);
                case "lower_prio_no_advert" -> d.lowerPrioNoAdvert = boolArg(s);
                case "higher_prio_send_advert" -> d.higherPrioSendAdvert = boolArg(s);
                case "promote_secondaries" -> d.promoteSecondaries = true;
                case "native_ipv6" -> d.nativeIpv6 = true;
                case "vrf" -> {
                    if (d.ifname.isPresent()) {
                        warn(s, "(" + d.name + ") Cannot specify VRF interface and interface - ignoring");
                    }
                }
                case "use_vmac_addr", "use_ipvlan", "track_src_ip", "unicast_fault_no_peer",
                        "old_unicast_checksum", "garp_extra_if", "debug",
                        "kernel_rx_buf_size", "linkbeat_use_polling", "track_bfd",
                        "notify_deleted" -> ignored(s);
                default -> unknown(s);
            }
        });
    }

    private Optional<Authentication> authentication(ConfigNode n, String who) throws ConfigException {
        if (!needBlock(n)) {
            return Optional.empty();
        }
        Authentication.Type[] type = {null};
        String[] pass = {null};
        each(n, "vrrp_instance/authentication", s -> {
            noBlock(s);
            switch (s.keyword) {
                case "auth_type" -> {
                    String t = arg(s, 0);
                    type[0] = switch (t) {
                        case "PASS" -> Authentication.Type.PASS;
                        case "AH" -> throw err(s, who + " auth_type AH is refused by javalived: keepalived sends "
                                + "AH-authenticated adverts as IP protocol 51 (IPsec AH), which javalived neither sends "
                                + "nor understands - a keepalived peer and javalived would both become MASTER. Use "
                                + "auth_type PASS on both, or no authentication");
                        default -> throw err(s, who + " unknown authentication type '" + t + "' (PASS|AH)");
                    };
                }
                case "auth_pass" -> {
                    String p = arg(s, 0);
                    if (p.length() > 8) {
                        warn(s, "Truncating auth_pass to 8 characters");
                        p = p.substring(0, 8);
                    }
                    pass[0] = p;
                }
                default -> unknown(s);
            }
        });
        if (type[0] == null) {
            note(n, who + " authentication without auth_type - no authentication");
            return Optional.empty();
        }
        if (pass[0] == null) {
            throw err(n, who + " authentication without auth_pass");
        }
        return Optional.of(new Authentication(type[0], pass[0]));
    }

    private void checkVrids(List<VrrpInstance> instances) {
        Map<String, VrrpInstance> seen = new HashMap<>();
        for (VrrpInstance i : instances) {
            if (i.isUnicast()) {
                continue;
            }
            String key = i.interfaceName().orElse("") + "/" + i.family() + "/" + i.virtualRouterId() + "/"
                    + InetText.ntop(i.mcastDstIp());
            VrrpInstance prev = seen.putIfAbsent(key, i);
            if (prev != null) {
                cx.errors.add(new ConfigException(i.origin().file(), i.origin().line(), "virtual_router_id",
                        prev.name() + " and " + i.name() + " both use VRID " + i.virtualRouterId() + " with "
                                + (i.isIpv6() ? "IPv6" : "IPv4") + " on interface "
                                + i.interfaceName().orElse("?")));
            }
        }
    }
}
