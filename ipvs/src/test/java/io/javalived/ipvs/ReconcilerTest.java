package io.javalived.ipvs;

import io.javalived.inet.Protocol;
import io.javalived.inet.InetText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalived.ipvs.IpvsClient.OpResult;
import io.javalived.ipvs.IpvsOp.Kind;
import io.javalived.ipvs.Reconciler.Desired;
import io.javalived.ipvs.Reconciler.Plan;
import io.javalived.netlink.NetlinkException;
import io.javalived.netlink.ffi.Errno;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The plan (pure) and the apply/rollback logic against a scripted sink. */
class ReconcilerTest {
    static InetAddress ip(String s) {
        return InetText.parse(s);
    }

    static final ServiceKey WEB = ServiceKey.of(Protocol.TCP, ip("10.0.0.1"), 80);
    static final ServiceKey DNS = ServiceKey.of(Protocol.UDP, ip("10.0.0.1"), 53);
    static final ServiceKey OTHER = ServiceKey.of(Protocol.TCP, ip("10.0.0.99"), 80);
    static final Destination R1 = Destination.of(ip("10.0.1.1"), 80, Forwarding.MASQ, 1);
    static final Destination R2 = Destination.of(ip("10.0.1.2"), 80, Forwarding.MASQ, 1);
    static final Destination R3 = Destination.of(ip("10.0.1.3"), 80, Forwarding.ROUTE, 2);

    static Map<ServiceKey, Desired> desired(Desired... d) {
        return Reconciler.index(List.of(d));
    }

    static Desired want(Service v, Destination... rs) {
        return new Desired(v, List.of(rs));
    }

    static IpvsTable kernel(IpvsTable.Row... s) {
        return new IpvsTable(List.of(s));
    }

    static IpvsTable.Row have(Service v, Destination... rs) {
        List<DestEntry> d = new ArrayList<>();
        for (Destination r : rs) {
            d.add(new DestEntry(r, 5, 6, 7, IpvsStats.ZERO));
        }
        return new IpvsTable.Row(new ServiceEntry(v, IpvsStats.ZERO), d);
    }

    static List<String> ops(Plan p) {
        return p.ops().stream().map(IpvsOp::toString).toList();
    }

    @Test
    void emptyEverything() {
        assertThat(Reconciler.plan(Map.of(), kernel(), Set.of()).ops()).isEmpty();
    }

    @Test
    void newServiceThenItsDestinations() {
        Plan p = Reconciler.plan(desired(want(Service.of(WEB, "wlc"), R1, R2)), kernel(), Set.of());
        assertThat(ops(p)).containsExactly("-A -t 10.0.0.1:80 -s wlc",
                "-a -t 10.0.0.1:80 -r 10.0.1.1:80 -m -w 1", "-a -t 10.0.0.1:80 -r 10.0.1.2:80 -m -w 1");
        assertThat(p.creating()).containsExactly(WEB);
    }

    @Test
    void identicalTableNeedsNothingCountersIgnored() {
        Service v = Service.of(WEB, "wlc").withPersistence(300, 0xffffff00L);
        assertThat(Reconciler.plan(desired(want(v, R1, R2)), kernel(have(v, R2, R1)), Set.of(WEB)).ops()).isEmpty();
    }

    @Test
    void oneChangedDestinationIsOneEdit() {
        Service v = Service.of(WEB, "wlc");
        Plan p = Reconciler.plan(desired(want(v, R1, R2.withWeight(0))), kernel(have(v, R1, R2)), Set.of());
        assertThat(ops(p)).containsExactly("-e -t 10.0.0.1:80 -r 10.0.1.2:80 -m -w 0");
        for (Function<Destination, Destination> change : List.<Function<Destination, Destination>>of(
                r -> r.withThresholds(10, 0), r -> r.withThresholds(0, 5),
                r -> Destination.of(r.address(), r.port(), Forwarding.ROUTE, r.weight()),
                r -> Destination.of(r.address(), r.port(), Forwarding.TUNNEL, r.weight()).withTunnel(TunnelType.GRE, 0, 1))) {
            Plan q = Reconciler.plan(desired(want(v, R1, change.apply(R2))), kernel(have(v, R1, R2)), Set.of());
            assertThat(q.ops()).extracting(IpvsOp::kind).containsExactly(Kind.EDIT_DEST);
        }
    }

    @Test
    void addAndRemoveDestinations() {
        Service v = Service.of(WEB, "wlc");
        Plan p = Reconciler.plan(desired(want(v, R1, R3)), kernel(have(v, R1, R2)), Set.of());
        assertThat(ops(p)).containsExactly("-d -t 10.0.0.1:80 -r 10.0.1.2:80", "-a -t 10.0.0.1:80 -r 10.0.1.3:80 -g -w 2");
        Plan none = Reconciler.plan(desired(want(v)), kernel(have(v, R1, R2)), Set.of());
        assertThat(none.ops()).extracting(IpvsOp::kind).containsExactly(Kind.DELETE_DEST, Kind.DELETE_DEST);
    }

    @Test
    void serviceSettingsEditedInPlace() {
        Service v = Service.of(WEB, "wlc");
        for (Service w : List.of(v.withScheduler("rr"), v.withPersistence(300, 0xffffffffL),
                v.withFlags(Ipvs.SVC_F_ONEPACKET), v.withPeName("sip"),
                v.withScheduler("sh").withFlags(Ipvs.SVC_F_SCHED_SH_PORT))) {
            Plan p = Reconciler.plan(desired(want(w, R1)), kernel(have(v, R1)), Set.of());
            assertThat(p.ops()).as(w.toString()).extracting(IpvsOp::kind).containsExactly(Kind.EDIT_SERVICE);
        }
        Service pers = v.withPersistence(300, 0xffffffffL);
        assertThat(Reconciler.plan(desired(want(pers.withPersistence(600, 0xffffffffL))), kernel(have(pers)), Set.of())
                .ops()).hasSize(1);
        assertThat(Reconciler.plan(desired(want(pers.withPersistence(300, 0xffffff00L))), kernel(have(pers)), Set.of())
                .ops()).hasSize(1);
        // not persistent: timeout and netmask are not compared (the kernel keeps whatever ipvsadm sent)
        Service odd = new Service(WEB, "wlc", 0, 77, 0xff000000L, null);
        assertThat(Reconciler.plan(desired(want(v)), kernel(have(odd)), Set.of()).ops()).isEmpty();
    }

    @Test
    void servicesItDoesNotOwnAreNeverTouched() {
        Service mine = Service.of(WEB, "wlc");
        Service theirs = Service.of(OTHER, "rr");
        Plan p = Reconciler.plan(desired(want(mine, R1)), kernel(have(mine, R1), have(theirs, R2, R3)), Set.of());
        assertThat(p.ops()).isEmpty();
        // even when it owned other things before
        p = Reconciler.plan(desired(), kernel(have(mine, R1), have(theirs, R2, R3)), Set.of(WEB));
        assertThat(ops(p)).containsExactly("-D -t 10.0.0.1:80");
        assertThat(p.deleting()).containsExactly(WEB);
    }

    @Test
    void previouslyOwnedButAlreadyGoneIsNothing() {
        assertThat(Reconciler.plan(desired(), kernel(), Set.of(WEB, DNS)).ops()).isEmpty();
    }

    @Test
    void orderIsDeletesThenEditsThenAdds() {
        Service web = Service.of(WEB, "wlc");
        Service dns = Service.of(DNS, "rr");
        ServiceKey gone = ServiceKey.fwmark(5, false);
        Plan p = Reconciler.plan(desired(want(web.withScheduler("rr"), R1.withWeight(3), R3), want(dns, R1)),
                kernel(have(web, R1, R2), have(Service.of(gone, "rr"), R1)), Set.of(gone));
        assertThat(p.ops()).extracting(IpvsOp::kind).containsExactly(Kind.DELETE_SERVICE, Kind.DELETE_DEST,
                Kind.EDIT_SERVICE, Kind.EDIT_DEST, Kind.ADD_DEST, Kind.ADD_SERVICE, Kind.ADD_DEST);
    }

    @Test
    void duplicateServiceIsRejected() {
        Service web = Service.of(WEB, "wlc");
        assertThatThrownBy(() -> desired(want(web), want(web.withScheduler("rr"))))
                .hasMessageContaining("TCP 10.0.0.1:80 is defined twice");
    }

    @Test
    void tenThousandServicesOneChangeIsOneOperation() {
        Map<ServiceKey, Desired> d = new LinkedHashMap<>();
        List<IpvsTable.Row> k = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ServiceKey key = ServiceKey.of(Protocol.TCP, ip("10." + (i >> 8) + "." + (i & 255) + ".1"), 80);
            Service v = Service.of(key, "wlc");
            Destination[] rs = {Destination.of(ip("192.168.0.1"), 80, Forwarding.ROUTE, 1),
                Destination.of(ip("192.168.0.2"), 80, Forwarding.ROUTE, 1)};
            k.add(have(v, rs));
            if (i == 4321) {
                rs[1] = rs[1].withWeight(9);
            }
            d.put(key, want(v, rs));
        }
        Plan p = Reconciler.plan(d, new IpvsTable(k), d.keySet());
        assertThat(ops(p)).containsExactly("-e -t 10.16.225.1:80 -r 192.168.0.2:80 -g -w 9");
    }

    /** A sink that fails the ops whose text matches, and records what it was sent. */
    static final class ScriptedSink implements Reconciler.Sink {
        final List<List<IpvsOp>> calls = new ArrayList<>();
        final Map<String, Integer> failures = new LinkedHashMap<>();
        boolean explode;

        @Override
        public List<OpResult> applyAll(List<IpvsOp> ops) throws NetlinkException {
            calls.add(ops);
            if (explode && calls.size() == 1) {
                throw new NetlinkException("batch", Errno.ETIMEDOUT, null);
            }
            List<OpResult> out = new ArrayList<>();
            for (IpvsOp op : ops) {
                Integer e = failures.get(op.toString());
                out.add(new OpResult(op, e == null ? null : new NetlinkException(op.toString(), e, null)));
            }
            return out;
        }
    }

    @Test
    void failedDestinationOfANewServiceRollsTheServiceBack() throws Exception {
        Service web = Service.of(WEB, "wlc");
        Service dns = Service.of(DNS, "rr");
        Plan p = Reconciler.plan(desired(want(web, R1, R2), want(dns, R1)), kernel(), Set.of());
        ScriptedSink sink = new ScriptedSink();
        sink.failures.put("-a -t 10.0.0.1:80 -r 10.0.1.2:80 -m -w 1", Errno.EINVAL);
        Reconciler.Result r = Reconciler.apply(sink, p);
        assertThat(r.ok()).isFalse();
        assertThat(r.failed()).extracting(OpResult::toString)
                .containsExactly("-a -t 10.0.0.1:80 -r 10.0.1.2:80 -m -w 1 failed: EINVAL (Invalid argument)");
        assertThat(r.rolledBack()).containsExactly(WEB);
        assertThat(sink.calls).hasSize(2);
        assertThat(sink.calls.get(1)).extracting(IpvsOp::toString).containsExactly("-D -t 10.0.0.1:80");
    }

    @Test
    void failedServiceAddReportsItAndItsDestinationsWithoutRollback() throws Exception {
        Service web = Service.of(WEB, "nosuchsched");
        Plan p = Reconciler.plan(desired(want(web, R1)), kernel(), Set.of());
        ScriptedSink sink = new ScriptedSink();
        sink.failures.put("-A -t 10.0.0.1:80 -s nosuchsched", Errno.ENOENT);
        sink.failures.put("-a -t 10.0.0.1:80 -r 10.0.1.1:80 -m -w 1", Errno.ESRCH);
        Reconciler.Result r = Reconciler.apply(sink, p);
        assertThat(r.failed()).hasSize(2);
        assertThat(r.rolledBack()).isEmpty();
        assertThat(sink.calls).hasSize(1);
    }

    @Test
    void failedDestinationOfAnExistingServiceIsReportedNotRolledBack() throws Exception {
        Service web = Service.of(WEB, "wlc");
        Plan p = Reconciler.plan(desired(want(web, R1, R2)), kernel(have(web, R1)), Set.of());
        ScriptedSink sink = new ScriptedSink();
        sink.failures.put("-a -t 10.0.0.1:80 -r 10.0.1.2:80 -m -w 1", Errno.ENOMEM);
        Reconciler.Result r = Reconciler.apply(sink, p);
        assertThat(r.failed()).hasSize(1);
        assertThat(r.rolledBack()).isEmpty();
    }

    @Test
    void batchErrorUndoesServicesBeingCreatedAndRethrows() {
        Service web = Service.of(WEB, "wlc");
        Plan p = Reconciler.plan(desired(want(web, R1)), kernel(), Set.of());
        ScriptedSink sink = new ScriptedSink();
        sink.explode = true;
        assertThatThrownBy(() -> Reconciler.apply(sink, p)).hasMessageContaining("ETIMEDOUT");
        assertThat(sink.calls.get(1)).extracting(IpvsOp::toString).containsExactly("-D -t 10.0.0.1:80");
    }

    @Test
    void ownershipAfterApply() throws Exception {
        Service web = Service.of(WEB, "wlc");
        Service dns = Service.of(DNS, "rr");
        Plan p = Reconciler.plan(desired(want(web)), kernel(have(dns)), Set.of(DNS));
        ScriptedSink sink = new ScriptedSink();
        sink.failures.put("-D -u 10.0.0.1:53", Errno.EBUSY);
        Reconciler.Result r = Reconciler.apply(sink, p);
        assertThat(r.ownedAfter()).containsExactlyInAnyOrder(WEB, DNS);
        sink.failures.clear();
        assertThat(Reconciler.apply(sink, p).ownedAfter()).containsExactly(WEB);
    }
}
