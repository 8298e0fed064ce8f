package io.javalived.vrrp.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.config.KeepalivedConfigReader;
import io.javalived.config.model.GlobalDefs;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.config.model.Origin;
import io.javalived.config.model.VrrpInstance;
import io.javalived.config.model.VrrpSyncGroup;
import io.javalived.vrrp.runtime.ReloadDecision.Effect;
import io.javalived.vrrp.runtime.ReloadDecision.Kind;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every field of vrrp_instance, vrrp_sync_group and global_defs is classified, and changing any one of them alone
 * gives the decision its classification says (RESTART restarts, LIVE updates in place, INERT keeps).
 */
class ReloadDecisionTest {
    static final String CONF = """
            global_defs {
                router_id r1
                notification_email {
                    ops@example.com
                }
                notify_fifo /tmp/reload-decision-test.fifo
            }
            vrrp_track_process tp {
                process reload-decision-test
            }
            vrrp_script chk {
                script "/bin/true"
                interval 1
                weight 10
            }
            vrrp_script chk_group {
                script "/bin/true"
                interval 2
            }
            vrrp_script unused {
                script "/bin/true"
                interval 2
            }
            track_file tf {
                file "/tmp/reload-decision-test"
                weight 1
            }
            vrrp_sync_group G {
                group {
                    VI_1
                    VI_2
                }
                track_script {
                    chk_group
                }
                track_process {
                    tp
                }
                notify_master "/bin/true master"
                # keepalived 2.2.7 drops the members' weighted trackers without it
                sync_group_tracking_weight
            }
            vrrp_instance VI_1 {
                state BACKUP
                interface eth0
                virtual_router_id 1
                priority 150
                advert_int 1
                authentication {
                    auth_type PASS
                    auth_pass secret
                }
                unicast_src_ip 10.0.0.1
                unicast_peer {
                    10.0.0.2
                }
                track_interface {
                    eth1 weight 5
                }
                track_script {
                    chk
                }
                track_file {
                    tf
                }
                track_process {
                    tp
                }
                notify_master "/bin/true"
                virtual_ipaddress {
                    10.0.0.100/24
                }
                virtual_ipaddress_excluded {
                    10.0.0.200/24
                }
                virtual_routes {
                    10.1.0.0/16 via 10.0.0.254
                }
                virtual_rules {
                    from 10.0.0.100 table 100 priority 100
                }
            }
            vrrp_instance VI_2 {
                interface eth0
                virtual_router_id 2
                priority 100
                virtual_ipaddress {
                    10.0.0.101/24
                }
            }
            """;

    static KeepalivedConfig read(String text) throws Exception {
        return KeepalivedConfigReader.read(text, Path.of("reload.conf")).config();
    }

    static List<String> names(Class<? extends Record> c) {
        return Arrays.stream(c.getRecordComponents()).map(RecordComponent::getName).toList();
    }

    // ------------------------------------------------------------------ completeness

    @Test
    void everyFieldOfTheConfigRecordsIsClassified() {
        // fails when a field is added to (or removed from) the model without a reload classification
        assertThat(ReloadDecision.INSTANCE_FIELDS.keySet()).containsExactlyElementsOf(names(VrrpInstance.class));
        assertThat(ReloadDecision.SYNC_GROUP_FIELDS.keySet()).containsExactlyElementsOf(names(VrrpSyncGroup.class));
        assertThat(ReloadDecision.GLOBAL_FIELDS.keySet()).containsExactlyInAnyOrderElementsOf(
                names(GlobalDefs.class));
    }

    @Test
    void onlyTheIdentityOfAnInstanceRestartsIt() {
        List<String> restart = ReloadDecision.INSTANCE_FIELDS.entrySet().stream()
                .filter(e -> e.getValue() == Effect.RESTART).map(Map.Entry::getKey).toList();
        assertThat(restart).containsExactlyInAnyOrder("name", "interfaceName", "virtualRouterId", "version",
                "family", "unicastSrcIp", "mcastSrcIp", "mcastDstIp", "useVmac", "vmacInterfaceName",
                "vmacXmitBase");
        assertThat(ReloadDecision.INSTANCE_FIELDS).containsEntry("priority", Effect.LIVE)
                .containsEntry("virtualIpAddresses", Effect.LIVE).containsEntry("advertInterval", Effect.LIVE)
                .containsEntry("trackScripts", Effect.LIVE).containsEntry("notifyMaster", Effect.LIVE)
                .containsEntry("unicastPeers", Effect.LIVE);
        assertThat(ReloadDecision.GLOBAL_FIELDS).containsEntry("routerId", Effect.INERT)
                .containsEntry("notificationEmail", Effect.INERT);
    }

    // ------------------------------------------------------------------ one field at a time

    /** A value of {@code type} different from {@code v} (samples for element types come from the base config). */
    Object different(Type type, Object v, Map<Class<?>, Object> samples) throws Exception {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (raw == String.class) {
            return v + "x";
        }
        if (raw == int.class || raw == Integer.class) {
            return (Integer) v + 1;
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return !(Boolean) v;
        }
        if (raw == Duration.class) {
            return ((Duration) v).plusSeconds(1);
        }
        if (raw == InetAddress.class) {
            return InetAddress.getByName(v.equals(InetAddress.getByName("10.9.9.9")) ? "10.9.9.8" : "10.9.9.9");
        }
        if (raw == Origin.class) {
            return new Origin(Path.of("other.conf"), 999);
        }
        if (raw.isEnum()) {
            Object[] all = raw.getEnumConstants();
            return all[(((Enum<?>) v).ordinal() + 1) % all.length];
        }
        Type arg = type instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : null;
        if (raw == Optional.class) {
            Optional<?> o = (Optional<?>) v;
            return o.isPresent() ? Optional.empty() : Optional.of(sample(arg, samples));
        }
        if (raw == List.class) {
            List<Object> l = new ArrayList<>((List<?>) v);
            l.add(l.isEmpty() ? sample(arg, samples) : different(arg, l.get(0), samples));
            return l;
        }
        if (raw.isRecord()) { // change its first component
            RecordComponent first = raw.getRecordComponents()[0];
            return with((Record) v, first.getName(), different(first.getGenericType(), first.getAccessor().invoke(v),
                    samples));
        }
        throw new AssertionError("no different value for " + type);
    }

    Object sample(Type type, Map<Class<?>, Object> samples) throws Exception {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (raw == String.class) {
            return "sample";
        }
        if (raw == Integer.class) {
            return 7;
        }
        if (raw == Boolean.class) {
            return true;
        }
        if (raw == InetAddress.class) {
            return InetAddress.getByName("10.9.9.9");
        }
        if (raw == Duration.class) {
            return Duration.ofSeconds(7);
        }
        if (raw == GlobalDefs.SmtpServer.class) {
            return new GlobalDefs.SmtpServer("smtp.example.com", 25);
        }
        if (raw == GlobalDefs.LvsSyncDaemon.class) {
            return new GlobalDefs.LvsSyncDaemon("eth0", Optional.empty(), Optional.empty(), Optional.empty(), 8848,
                    Optional.empty(), Optional.empty());
        }
        Object s = samples.get(raw);
        if (s == null) {
            throw new AssertionError("no sample of " + type + ": add one to the base configuration");
        }
        return s;
    }

    static <R extends Record> R with(R r, String field, Object value) throws Exception {
        RecordComponent[] rcs = r.getClass().getRecordComponents();
        Object[] args = new Object[rcs.length];
        Class<?>[] types = new Class<?>[rcs.length];
        for (int i = 0; i < rcs.length; i++) {
            args[i] = rcs[i].getName().equals(field) ? value : rcs[i].getAccessor().invoke(r);
            types[i] = rcs[i].getType();
        }
        @SuppressWarnings("unchecked")
        R out = (R) r.getClass().getDeclaredConstructor(types).newInstance(args);
        return out;
    }

    static KeepalivedConfig withInstance(KeepalivedConfig c, VrrpInstance i) {
        List<VrrpInstance> l = c.vrrpInstances().stream().map(x -> x.name().equals(i.name()) ? i : x).toList();
        return new KeepalivedConfig(c.globalDefs(), c.vrrpScripts(), c.trackFiles(), c.syncGroups(), l,
                c.virtualServerGroups(), c.virtualServers(), c.staticAddresses(), c.staticRoutes(), c.staticRules(),
                c.trackProcesses());
    }

    static KeepalivedConfig withGroup(KeepalivedConfig c, VrrpSyncGroup g) {
        return new KeepalivedConfig(c.globalDefs(), c.vrrpScripts(), c.trackFiles(), List.of(g), c.vrrpInstances(),
                c.virtualServerGroups(), c.virtualServers(), c.staticAddresses(), c.staticRoutes(), c.staticRules(),
                c.trackProcesses());
    }

    static KeepalivedConfig withGlobal(KeepalivedConfig c, GlobalDefs g) {
        return new KeepalivedConfig(g, c.vrrpScripts(), c.trackFiles(), c.syncGroups(), c.vrrpInstances(),
                c.virtualServerGroups(), c.virtualServers(), c.staticAddresses(), c.staticRoutes(), c.staticRules(),
                c.trackProcesses());
    }

    Map<Class<?>, Object> samples(KeepalivedConfig c) {
        VrrpInstance i = c.vrrpInstance("VI_1").orElseThrow();
        Map<Class<?>, Object> m = new HashMap<>();
        m.put(io.javalived.config.model.Authentication.class, i.authentication().orElseThrow());
        m.put(io.javalived.config.model.VirtualIpAddress.class, i.virtualIpAddresses().get(0));
        m.put(io.javalived.config.model.VirtualRoute.class, i.virtualRoutes().get(0));
        m.put(io.javalived.config.model.VirtualRule.class, i.virtualRules().get(0));
        m.put(io.javalived.config.model.UnicastPeer.class, i.unicastPeers().get(0));
        m.put(io.javalived.config.model.TrackedInterface.class, i.trackInterfaces().get(0));
        m.put(io.javalived.config.model.TrackedScript.class, i.trackScripts().get(0));
        m.put(io.javalived.config.model.TrackedFile.class, i.trackFiles().get(0));
        m.put(io.javalived.config.model.NotifyScript.class, i.notifyMaster().orElseThrow());
        return m;
    }

    static Kind expected(Effect e) {
        return switch (e) {
            case RESTART -> Kind.RESTART;
            case LIVE -> Kind.UPDATE;
            case INERT -> Kind.KEEP;
        };
    }

    @Test
    void eachInstanceFieldAloneDecidesAsClassified() throws Exception {
        KeepalivedConfig base = read(CONF);
        VrrpInstance vi = base.vrrpInstance("VI_1").orElseThrow();
        Map<Class<?>, Object> samples = samples(base);
        assertThat(ReloadDecision.decide(base, base, "VI_1").kind()).isEqualTo(Kind.KEEP);
        int checked = 0;
        for (RecordComponent rc : VrrpInstance.class.getRecordComponents()) {
            if (rc.getName().equals("name")) {
                continue; // another name is another instance (the unit key): see VrrpUnitsTest
            }
            Object changed = different(rc.getGenericType(), rc.getAccessor().invoke(vi), samples);
            KeepalivedConfig after = withInstance(base, with(vi, rc.getName(), changed));
            ReloadDecision.Decision d = ReloadDecision.decide(base, after, "VI_1");
            Effect e = ReloadDecision.INSTANCE_FIELDS.get(rc.getName());
            assertThat(d.kind()).as(rc.getName() + " (" + e + ") -> " + d).isEqualTo(expected(e));
            if (e != Effect.INERT) {
                assertThat(d.changed()).as(rc.getName()).contains("vrrp_instance." + rc.getName());
            }
            assertThat(ReloadDecision.decide(base, after, "VI_2").kind()).as("VI_2 untouched by " + rc.getName())
                    .isEqualTo(Kind.KEEP);
            checked++;
        }
        assertThat(checked).isEqualTo(VrrpInstance.class.getRecordComponents().length - 1);
    }

    @Test
    void eachSyncGroupFieldAloneDecidesAsClassifiedForEveryMember() throws Exception {
        KeepalivedConfig base = read(CONF);
        VrrpSyncGroup g = base.syncGroups().get(0);
        Map<Class<?>, Object> samples = samples(base);
        for (RecordComponent rc : VrrpSyncGroup.class.getRecordComponents()) {
            Object changed = different(rc.getGenericType(), rc.getAccessor().invoke(g), samples);
            KeepalivedConfig after = withGroup(base, with(g, rc.getName(), changed));
            Effect e = ReloadDecision.SYNC_GROUP_FIELDS.get(rc.getName());
            for (String member : List.of("VI_1", "VI_2")) {
                ReloadDecision.Decision d = ReloadDecision.decide(base, after, member);
                assertThat(d.kind()).as(member + ": " + rc.getName() + " (" + e + ") -> " + d)
                        .isEqualTo(expected(e));
            }
        }
    }

    @Test
    void eachGlobalFieldAloneDecidesAsClassified() throws Exception {
        KeepalivedConfig base = read(CONF);
        GlobalDefs g = base.globalDefs();
        Map<Class<?>, Object> samples = samples(base);
        for (RecordComponent rc : GlobalDefs.class.getRecordComponents()) {
            Object changed = different(rc.getGenericType(), rc.getAccessor().invoke(g), samples);
            KeepalivedConfig after = withGlobal(base, with(g, rc.getName(), changed));
            Effect e = ReloadDecision.GLOBAL_FIELDS.get(rc.getName());
            ReloadDecision.Decision d = ReloadDecision.decide(base, after, "VI_1");
            assertThat(d.kind()).as("global_defs " + rc.getName() + " (" + e + ") -> " + d).isEqualTo(expected(e));
        }
    }

    @Test
    void memberOrderIsNotAChangeButMembershipIs() throws Exception {
        KeepalivedConfig base = read(CONF);
        VrrpSyncGroup g = base.syncGroups().get(0);
        KeepalivedConfig swapped = withGroup(base, with(g, "members", List.of("VI_2", "VI_1")));
        assertThat(ReloadDecision.decide(base, swapped, "VI_1").kind()).isEqualTo(Kind.KEEP);
        KeepalivedConfig smaller = withGroup(base, with(g, "members", List.of("VI_1")));
        assertThat(ReloadDecision.decide(base, smaller, "VI_1").changed()).contains("vrrp_sync_group.members");
        assertThat(ReloadDecision.decide(base, smaller, "VI_2").kind()).as("VI_2 leaves the group")
                .isEqualTo(Kind.RESTART);
    }

    // ------------------------------------------------------------------ keepalived.conf edits

    static String edit(String from, String to) {
        assertThat(CONF).contains(from);
        return CONF.replace(from, to);
    }

    ReloadDecision.Decision decide(String after, String name) throws Exception {
        return ReloadDecision.decide(read(CONF), read(after), name);
    }

    @Test
    void editsOfTheFile() throws Exception {
        assertThat(decide(edit("priority 150", "priority 160"), "VI_1"))
                .isEqualTo(new ReloadDecision.Decision(Kind.UPDATE, List.of("vrrp_instance.priority")));
        assertThat(decide(edit("10.0.0.100/24\n", "10.0.0.100/24\n        10.0.0.102/24\n"), "VI_1"))
                .isEqualTo(new ReloadDecision.Decision(Kind.UPDATE, List.of("vrrp_instance.virtualIpAddresses")));
        assertThat(decide(edit("router_id r1", "router_id r2"), "VI_1").kind()).isEqualTo(Kind.KEEP);
        assertThat(decide(edit("ops@example.com", "noc@example.com"), "VI_1").kind()).isEqualTo(Kind.KEEP);
        assertThat(decide("\n# moved\n" + CONF, "VI_1").kind()).as("only file:line moved").isEqualTo(Kind.KEEP);
        assertThat(decide(edit("advert_int 1", "advert_int 2"), "VI_1").kind()).isEqualTo(Kind.UPDATE);
        assertThat(decide(edit("10.0.0.2\n", "10.0.0.3\n"), "VI_1").kind()).as("another unicast peer")
                .isEqualTo(Kind.UPDATE);
        assertThat(decide(edit("virtual_router_id 1\n", "virtual_router_id 9\n"), "VI_1").kind())
                .isEqualTo(Kind.RESTART);
        assertThat(decide(edit("interface eth0\n    virtual_router_id 1", "interface eth9\n    virtual_router_id 1"),
                "VI_1").kind()).isEqualTo(Kind.RESTART);
        assertThat(decide(edit("""
                    unicast_src_ip 10.0.0.1
                    unicast_peer {
                        10.0.0.2
                    }
                """, ""), "VI_1").kind()).as("unicast to multicast").isEqualTo(Kind.RESTART);
    }

    @Test
    void aChangedTrackedScriptOrFileIsAnUpdateAnUntrackedOneNothing() throws Exception {
        assertThat(decide(edit("interval 1\n    weight 10", "interval 3\n    weight 10"), "VI_1"))
                .isEqualTo(new ReloadDecision.Decision(Kind.UPDATE, List.of("vrrp_script chk")));
        assertThat(decide(edit("interval 1\n    weight 10", "interval 3\n    weight 10"), "VI_2").kind())
                .as("VI_2 does not track chk").isEqualTo(Kind.KEEP);
        assertThat(decide(edit("script \"/bin/true\"\n    interval 2\n}\ntrack_file",
                "script \"/bin/false\"\n    interval 2\n}\ntrack_file"), "VI_1").kind()).as("unused script")
                .isEqualTo(Kind.KEEP);
        assertThat(decide(edit("interval 2\n}\nvrrp_script unused", "interval 4\n}\nvrrp_script unused"), "VI_2"))
                .as("the group's script").isEqualTo(new ReloadDecision.Decision(Kind.UPDATE,
                        List.of("vrrp_script chk_group")));
        ReloadDecision.Decision file = decide(edit("weight 1\n}", "weight 2\n}"), "VI_1");
        assertThat(file.kind()).isEqualTo(Kind.UPDATE);
        assertThat(file.changed()).contains("track_file tf");
    }
}
