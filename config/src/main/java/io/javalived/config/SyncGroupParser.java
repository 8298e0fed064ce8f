package io.javalived.config;

import io.javalived.config.model.NotifyScript;
import io.javalived.config.model.TrackedInterface;
import io.javalived.config.model.VrrpSyncGroup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** vrrp_sync_group: its members, trackers and notify scripts; members are checked once all instances are read. */
final class SyncGroupParser extends BlockParser {
    private final TrackParser track;
    private final List<SyncDraft> drafts = new ArrayList<>();

    SyncGroupParser(ParseContext cx, TrackParser track) {
        super(cx);
        this.track = track;
    }

    /** Each member of a sync group read: whether its group has sync_group_tracking_weight (or global_tracking). */
    Map<String, Boolean> memberTrackingWeight() {
        Map<String, Boolean> m = new HashMap<>();
        for (SyncDraft d : drafts) {
            for (String member : d.members) {
                m.putIfAbsent(member, d.trackingWeight);
            }
        }
        return m;
    }

    /** The sync groups read, checked against the names of the vrrp_instances built; an instance is in one group. */
    List<VrrpSyncGroup> build(Set<String> instanceNames, io.javalived.config.model.GlobalDefs g) {
        List<VrrpSyncGroup> groups = new ArrayList<>();
        Map<String, String> memberOf = new HashMap<>();
        for (SyncDraft d : drafts) {
            try {
                VrrpSyncGroup sg = d.build(instanceNames, g);
                for (String m : sg.members()) {
                    String prev = memberOf.putIfAbsent(m, sg.name());
                    if (prev != null) {
                        throw new ConfigException(d.node.file, d.node.line, "group",
                                "vrrp_instance " + m + " is already in sync group " + prev);
                    }
                }
                groups.add(sg);
            } catch (ConfigException e) {
                cx.errors.add(e);
            }
        }
        return groups;
    }

    private final class SyncDraft {
        ConfigNode node;
        String name;
        List<String> members = new ArrayList<>();
        List<TrackedInterface> trackIf = new ArrayList<>();
        List<TrackParser.TrackEntry> trackScript = new ArrayList<>();
        List<TrackParser.TrackEntry> trackFile = new ArrayList<>();
        List<TrackParser.TrackEntry> trackProcess = new ArrayList<>();
        Map<String, NotifyScript> notify = new HashMap<>();
        Boolean smtpAlert;
        Optional<Boolean> notifyPriorityChanges = Optional.empty();
        boolean globalTracking;
        boolean trackingWeight;

        VrrpSyncGroup build(Set<String> instanceNames, io.javalived.config.model.GlobalDefs g) throws ConfigException {
            if (members.isEmpty()) {
                throw err(node, "vrrp_sync_group " + name + " has no group { ... } of vrrp_instances");
            }
            for (String m : members) {
                if (!instanceNames.contains(m)) {
                    throw err(node, "vrrp_sync_group " + name + ": vrrp_instance " + m + " is not defined");
                }
            }
            if (members.size() == 1) {
                cx.warnings.add(new ConfigWarning(node.file, node.line, node.keyword,
                        "Sync group " + name + " has only 1 virtual router(s) - this probably isn't what you want"));
            }
            return new VrrpSyncGroup(name, members, trackIf, track.resolveScripts(trackScript, "(" + name + ")"),
                    track.resolveFiles(trackFile, "(" + name + ")"), Optional.ofNullable(notify.get("notify")),
                    Optional.ofNullable(notify.get("notify_master")), Optional.ofNullable(notify.get("notify_backup")),
                    Optional.ofNullable(notify.get("notify_fault")), Optional.ofNullable(notify.get("notify_stop")),
                    smtpAlert != null ? smtpAlert : g.smtpAlertVrrp().or(g::smtpAlert).orElse(false), globalTracking, trackingWeight, origin(node), notifyPriorityChanges,
                    track.resolveProcesses(trackProcess, "(" + name + ")"));
        }
    }

    /** Reads one vrrp_sync_group block (checked when built). */
    void parse(ConfigNode n) throws ConfigException {
        SyncDraft d = new SyncDraft();
        d.node = n;
        d.name = arg(n, 0);
        if (!needBlock(n)) {
            return;
        }
        for (SyncDraft o : drafts) {
            if (o.name.equals(d.name)) {
                throw err(n, "vrrp_sync_group " + d.name + " already defined");
            }
        }
        each(n, "vrrp_sync_group", s -> {
            switch (s.keyword) {
                case "group" -> {
                    if (valueBlock(s)) {
                        for (ConfigNode m : s.block()) {
                            d.members.add(m.keyword);
                            d.members.addAll(m.args);
                        }
                    }
                }
                case "track_interface" -> d.trackIf.addAll(track.trackInterfaces(s));
                case "track_script" -> d.trackScript.addAll(track.trackEntries(s, -253, 253));
                case "track_file" -> d.trackFile.addAll(track.trackEntries(s, -254, 254));
                case "track_process" -> d.trackProcess.addAll(track.trackEntries(s, -254, 254));
                case "notify", "notify_master", "notify_backup", "notify_fault", "notify_stop" -> {
                    noBlock(s);
                    onceScript(s, Optional.ofNullable(d.notify.get(s.keyword)), "vrrp group " + d.name + ": "
                            + s.keyword).ifPresent(sc -> d.notify.put(s.keyword, sc));
                }
                case "smtp_alert" -> d.smtpAlert = boolArg(s);
                case "global_tracking" -> {
                    d.globalTracking = true;
                    d.trackingWeight = true;
                }
                case "sync_group_tracking_weight" -> d.trackingWeight = true;
                case "notify_priority_changes" -> d.notifyPriorityChanges = Optional.of(boolArg(s));
                case "track_bfd" -> ignored(s);
                default -> unknown(s);
            }
        });
        drafts.add(d);
    }
}
