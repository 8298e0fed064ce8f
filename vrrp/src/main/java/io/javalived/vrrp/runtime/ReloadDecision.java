package io.javalived.vrrp.runtime;

import io.javalived.config.model.GlobalDefs;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.config.model.Origin;
import io.javalived.config.model.VrrpInstance;
import io.javalived.config.model.VrrpSyncGroup;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a reload does to one running VRRP instance, decided from its old and new configuration. Pure.
 *
 * <p>keepalived 2.2.7 never restarts an instance it finds again in the new configuration: it matches old and new
 * instances on their identity (virtual_router_id, address family, interface, unicast or multicast, the unicast source
 * or multicast group, VMAC), carries over the state (a MASTER stays MASTER and adverts at once, with its new
 * priority), removes the VIPs no longer configured and adds the new ones (with gratuitous ARPs), and runs no notify
 * script for an unchanged state. javalived does the same per field: every field of {@link VrrpInstance},
 * {@link VrrpSyncGroup} and {@link GlobalDefs} has an {@link Effect}; a change of a {@link Effect#RESTART} field
 * restarts the instance, a change of a {@link Effect#LIVE} field is applied to the running instance, a change of an
 * {@link Effect#INERT} field changes nothing that runs.
 */
public final class ReloadDecision {
    private ReloadDecision() {
    }

    /** How a change of one configuration field reaches a running instance. */
    public enum Effect {
        /** Part of the instance's identity (its sockets, its virtual router): a change restarts the instance. */
        RESTART,
        /** Applied to the running instance, which keeps its state and its VIPs. */
        LIVE,
        /** Read by nothing that runs (status and dumps show the new value; or resolved into another field). */
        INERT
    }

    /** What the reload does to one instance. */
    public enum Kind { KEEP, UPDATE, RESTART }

    /**
     * @param kind    KEEP (nothing that runs changed), UPDATE (apply {@code changed} in place) or RESTART
     * @param changed the changed fields, as {@code vrrp_instance.priority}, {@code vrrp_sync_group.members},
     *                {@code global_defs.v3ChecksumAsV2}, {@code vrrp_script NAME}, {@code track_file NAME}
     */
    public record Decision(Kind kind, List<String> changed) {
        public Decision {
            changed = List.copyOf(changed);
        }
    }

    /** Every field of vrrp_instance and its effect. */
    public static final Map<String, Effect> INSTANCE_FIELDS = fields(
            "name", Effect.RESTART, // the unit key: another name is another instance
            "initialState", Effect.LIVE, // only read when leaving INIT / FAULT: the running state is kept
            "interfaceName", Effect.RESTART,
            "virtualRouterId", Effect.RESTART,
            "priority", Effect.LIVE,
            "advertInterval", Effect.LIVE,
            "version", Effect.RESTART,
            "family", Effect.RESTART,
            "preempt", Effect.LIVE,
            "preemptDelay", Effect.LIVE,
            "authentication", Effect.LIVE,
            "virtualIpAddresses", Effect.LIVE,
            "virtualIpAddressesExcluded", Effect.LIVE,
            "virtualRoutes", Effect.LIVE, // a MASTER removes the gone ones and adds the new ones
            "virtualRules", Effect.LIVE,
            "unicastSrcIp", Effect.RESTART, // keepalived matches unicast instances on their source; the send socket
            "unicastPeers", Effect.LIVE, // a change between unicast and multicast restarts (see decide)
            "mcastSrcIp", Effect.RESTART, // the send socket's source address
            "mcastDstIp", Effect.RESTART, // keepalived matches multicast instances on their group
            "trackInterfaces", Effect.LIVE,
            "trackScripts", Effect.LIVE,
            "trackFiles", Effect.LIVE,
            "notifyAny", Effect.LIVE,
            "notifyMaster", Effect.LIVE,
            "notifyBackup", Effect.LIVE,
            "notifyFault", Effect.LIVE,
            "notifyStop", Effect.LIVE,
            "notifyMasterRxLowerPri", Effect.LIVE,
            "smtpAlert", Effect.LIVE, // a mail per state entered (VrrpInstance.Options)
            "garpMasterDelay", Effect.LIVE,
            "garpMasterRepeat", Effect.LIVE,
            "garpMasterRefresh", Effect.LIVE,
            "garpMasterRefreshRepeat", Effect.LIVE,
            "garpLowerPrioDelay", Effect.LIVE,
            "garpLowerPrioRepeat", Effect.LIVE,
            "useVmac", Effect.RESTART, // keepalived matches on the VMAC too
            "vmacInterfaceName", Effect.RESTART,
            "vmacXmitBase", Effect.RESTART,
            "accept", Effect.INERT, // no firewall rules from the VRRP runtime
            "dontTrackPrimary", Effect.LIVE,
            "strictMode", Effect.INERT, // resolved into the other fields by the configuration reader
            "skipCheckAdvAddr", Effect.LIVE,
            "checkUnicastSrc", Effect.LIVE,
            "unicastTtl", Effect.INERT, // not applied by the VRRP runtime
            "downTimerAdverts", Effect.LIVE,
            "lowerPrioNoAdvert", Effect.LIVE,
            "higherPrioSendAdvert", Effect.LIVE,
            "promoteSecondaries", Effect.INERT, // not applied by the VRRP runtime
            "origin", Effect.INERT, // file:line only
            "notifyPriorityChanges", Effect.LIVE, // VrrpInstance.Options
            "trackProcesses", Effect.LIVE); // the trackers are rebuilt

    /**
     * Every field of vrrp_sync_group and its effect on each member. A change of the member list restarts the group
     * (javalived runs a sync group as one unit; keepalived keeps each member's state and recomputes the group's).
     */
    public static final Map<String, Effect> SYNC_GROUP_FIELDS = fields(
            "name", Effect.RESTART,
            "members", Effect.RESTART,
            "trackInterfaces", Effect.LIVE,
            "trackScripts", Effect.LIVE,
            "trackFiles", Effect.LIVE,
            "notifyAny", Effect.LIVE,
            "notifyMaster", Effect.LIVE,
            "notifyBackup", Effect.LIVE,
            "notifyFault", Effect.LIVE,
            "notifyStop", Effect.LIVE,
            "smtpAlert", Effect.LIVE, // GroupRuntime.reconfigure
            "globalTracking", Effect.INERT, // not read by the VRRP runtime
            "syncGroupTrackingWeight", Effect.INERT, // not read by the VRRP runtime
            "origin", Effect.INERT,
            "notifyPriorityChanges", Effect.LIVE, // the members' options
            "trackProcesses", Effect.LIVE); // the members' trackers are rebuilt

    /**
     * Every field of global_defs and its effect on the VRRP instances. The VRRP defaults of global_defs (vrrp_version,
     * vrrp_mcast_group4/6, vrrp_strict, vrrp_garp_*, vrrp_skip_check_adv_addr, vrrp_check_unicast_src) are resolved
     * into each instance's own fields by the configuration reader, so their changes are seen there.
     */
    public static final Map<String, Effect> GLOBAL_FIELDS = globalFields();

    private static Map<String, Effect> globalFields() {
        Map<String, Effect> m = new LinkedHashMap<>();
        for (RecordComponent rc : GlobalDefs.class.getRecordComponents()) {
            m.put(rc.getName(), Effect.INERT);
        }
        m.put("v3ChecksumAsV2", Effect.LIVE); // the checksum of our adverts and of the ones we accept
        return java.util.Collections.unmodifiableMap(m);
    }

    private static Map<String, Effect> fields(Object... pairs) {
        Map<String, Effect> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (Effect) pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * The decision for instance {@code name}, present in both configurations. Considers its vrrp_instance block, its
     * vrrp_sync_group (membership, tracking, notify scripts), global_defs, and the vrrp_script / track_file blocks
     * it tracks (directly or through its group).
     */
    public static Decision decide(KeepalivedConfig before, KeepalivedConfig after, String name) {
        VrrpInstance o = before.vrrpInstance(name).orElseThrow(() -> new IllegalArgumentException(name));
        VrrpInstance n = after.vrrpInstance(name).orElseThrow(() -> new IllegalArgumentException(name));
        List<String> restart = new ArrayList<>();
        List<String> live = new ArrayList<>();
        compare("vrrp_instance", INSTANCE_FIELDS, o, n, Set.of(), restart, live);
        if (o.isUnicast() != n.isUnicast()) {
            restart.add("vrrp_instance.unicastPeers (unicast / multicast)");
        }
        Optional<VrrpSyncGroup> og = before.syncGroupOf(name);
        Optional<VrrpSyncGroup> ng = after.syncGroupOf(name);
        if (og.isPresent() != ng.isPresent()) {
            restart.add("vrrp_sync_group (" + og.map(VrrpSyncGroup::name).orElse("none") + " -> "
                    + ng.map(VrrpSyncGroup::name).orElse("none") + ")");
        } else if (og.isPresent()) {
            VrrpSyncGroup a = og.get();
            VrrpSyncGroup b = ng.get();
            if (!new HashSet<>(a.members()).equals(new HashSet<>(b.members()))) {
                restart.add("vrrp_sync_group.members");
            }
            // member order is not a change (keepalived keys members by name)
            compare("vrrp_sync_group", SYNC_GROUP_FIELDS, a, b, Set.of("members"), restart, live);
        }
        compare("global_defs", GLOBAL_FIELDS, before.globalDefs(), after.globalDefs(), Set.of(), restart,
                live);
        for (String s : trackedScripts(n, ng)) {
            if (!sameIgnoringOrigin(before.vrrpScripts().get(s), after.vrrpScripts().get(s))) {
                live.add("vrrp_script " + s);
            }
        }
        for (String f : trackedFiles(n, ng)) {
            if (!sameIgnoringOrigin(before.trackFiles().get(f), after.trackFiles().get(f))) {
                live.add("track_file " + f);
            }
        }
        Set<String> processes = new LinkedHashSet<>();
        n.trackProcesses().forEach(t -> processes.add(t.name()));
        ng.ifPresent(sg -> sg.trackProcesses().forEach(t -> processes.add(t.name())));
        for (String p : processes) {
            io.javalived.config.model.TrackProcess b = before.trackProcesses().get(p);
            io.javalived.config.model.TrackProcess a = after.trackProcesses().get(p);
            if (a == null || b == null ? a != b : !a.withOrigin(null).equals(b.withOrigin(null))) {
                live.add("vrrp_track_process " + p);
            }
        }
        if (!restart.isEmpty()) {
            return new Decision(Kind.RESTART, restart);
        }
        return live.isEmpty() ? new Decision(Kind.KEEP, List.of()) : new Decision(Kind.UPDATE, live);
    }

    private static Set<String> trackedScripts(VrrpInstance i, Optional<VrrpSyncGroup> g) {
        Set<String> out = new LinkedHashSet<>();
        i.trackScripts().forEach(t -> out.add(t.name()));
        g.ifPresent(sg -> sg.trackScripts().forEach(t -> out.add(t.name())));
        return out;
    }

    private static Set<String> trackedFiles(VrrpInstance i, Optional<VrrpSyncGroup> g) {
        Set<String> out = new LinkedHashSet<>();
        i.trackFiles().forEach(t -> out.add(t.name()));
        g.ifPresent(sg -> sg.trackFiles().forEach(t -> out.add(t.name())));
        return out;
    }

    private static void compare(String block, Map<String, Effect> effects, Record a, Record b, Set<String> skip,
                                List<String> restart, List<String> live) {
        for (RecordComponent rc : a.getClass().getRecordComponents()) {
            if (skip.contains(rc.getName())) {
                continue;
            }
            Effect e = effects.get(rc.getName());
            if (e == null) {
                // a field added to the model without a classification: the safe choice
                e = Effect.RESTART;
            }
            if (e == Effect.INERT) {
                continue;
            }
            Object x;
            Object y;
            try {
                x = rc.getAccessor().invoke(a);
                y = rc.getAccessor().invoke(b);
            } catch (ReflectiveOperationException ex) {
                throw new IllegalStateException(ex);
            }
            if (!sameIgnoringOrigin(x, y)) {
                (e == Effect.RESTART ? restart : live).add(block + "." + rc.getName());
            }
        }
    }

    /** Deep equality of configuration values, ignoring every {@link Origin} (a block that only moved is the same). */
    public static boolean sameIgnoringOrigin(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof Origin && b instanceof Origin) {
            return true;
        }
        if (a.getClass() != b.getClass() && !(a instanceof Collection && b instanceof Collection)
                && !(a instanceof Map && b instanceof Map)) {
            return false;
        }
        if (a.getClass().isRecord()) {
            for (RecordComponent rc : a.getClass().getRecordComponents()) {
                try {
                    if (!sameIgnoringOrigin(rc.getAccessor().invoke(a), rc.getAccessor().invoke(b))) {
                        return false;
                    }
                } catch (ReflectiveOperationException e) {
                    return Objects.equals(a, b);
                }
            }
            return true;
        }
        if (a instanceof Optional<?> oa) {
            Optional<?> ob = (Optional<?>) b;
            return oa.isPresent() == ob.isPresent() && (oa.isEmpty() || sameIgnoringOrigin(oa.get(), ob.get()));
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if (la.size() != lb.size()) {
                return false;
            }
            for (int i = 0; i < la.size(); i++) {
                if (!sameIgnoringOrigin(la.get(i), lb.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            if (!ma.keySet().equals(mb.keySet())) {
                return false;
            }
            for (Map.Entry<?, ?> e : ma.entrySet()) {
                if (!sameIgnoringOrigin(e.getValue(), mb.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof byte[] ba && b instanceof byte[] bb) {
            return java.util.Arrays.equals(ba, bb);
        }
        return a.equals(b);
    }
}
