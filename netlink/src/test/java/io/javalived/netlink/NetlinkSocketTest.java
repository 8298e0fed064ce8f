package io.javalived.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalived.netlink.ffi.Errno;
import io.javalived.netlink.genl.GenlFamily;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Against the host's real kernel: generic netlink controller and rtnetlink. */
class NetlinkSocketTest {
    private static final int RTM_GETLINK = 18, IFLA_IFNAME = 3;

    @Test
    void resolvesTheControllerFamilyItself() throws Exception {
        try (NetlinkSocket s = NetlinkSocket.open(Netlink.NETLINK_GENERIC)) {
            assertThat(s.portId()).isNotZero();
            GenlFamily f = GenlFamily.resolve(s, "nlctrl");
            assertThat(f.id()).isEqualTo(Netlink.GENL_ID_CTRL);
            assertThat(f.name()).isEqualTo("nlctrl");
            assertThat(f.multicastGroups()).containsKey("notify");
        }
    }

    @Test
    void missingFamilyIsENOENTNamingTheRequest() throws Exception {
        try (NetlinkSocket s = NetlinkSocket.open(Netlink.NETLINK_GENERIC)) {
            assertThatThrownBy(() -> GenlFamily.resolve(s, "NoSuchFamilyX"))
                    .isInstanceOf(GenlFamily.FamilyNotFoundException.class)
                    .hasMessageContaining("CTRL_CMD_GETFAMILY NoSuchFamilyX failed: ENOENT")
                    .satisfies(e -> assertThat(((NetlinkException) e).errnoName()).isEqualTo("ENOENT"));
        }
    }

    @Test
    void dumpsLinksToDone() throws Exception {
        try (NetlinkSocket s = NetlinkSocket.open(Netlink.NETLINK_ROUTE)) {
            NlMessage.Builder req = NlMessage.builder(RTM_GETLINK, 0).headerBytes(new byte[16]).describe("RTM_GETLINK");
            List<NlMessage> links = s.dump(req);
            assertThat(links).isNotEmpty();
            assertThat(links).extracting(m -> m.attrs(16).string(IFLA_IFNAME, "")).contains("lo");
        }
    }

    @Test
    void batchReportsEachOutcomeInOrder() throws Exception {
        try (NetlinkSocket s = NetlinkSocket.open(Netlink.NETLINK_GENERIC)) {
            for (boolean ackEach : new boolean[] {false, true}) {
                long sends = s.sendCalls();
                List<NetlinkSocket.Result> r = s.batch(List.of(GenlFamily.request("nlctrl"),
                        GenlFamily.request("NoSuchFamilyY"), GenlFamily.request("nlctrl")), ackEach);
                assertThat(s.sendCalls() - sends).isEqualTo(1);
                assertThat(r).extracting(NetlinkSocket.Result::errno).containsExactly(0, Errno.ENOENT, 0);
                assertThat(GenlFamily.parse(r.get(0).replies().get(0)).id()).isEqualTo(Netlink.GENL_ID_CTRL);
                assertThat(GenlFamily.parse(r.get(2).replies().get(0)).name()).isEqualTo("nlctrl");
                assertThat(r.get(1).error()).hasMessageContaining("NoSuchFamilyY failed: ENOENT");
            }
        }
    }

    @Test
    void largeBatchIsSplitIntoSeveralSends() throws Exception {
        try (NetlinkSocket s = NetlinkSocket.open(Netlink.NETLINK_GENERIC)) {
            s.setBatchLimits(4096, 50);
            List<NlMessage.Builder> reqs = new java.util.ArrayList<>();
            for (int i = 0; i < 120; i++) {
                reqs.add(GenlFamily.request(i % 7 == 3 ? "Missing" + i : "nlctrl"));
            }
            List<NetlinkSocket.Result> r = s.batch(reqs);
            assertThat(s.sendCalls()).isEqualTo(3);
            for (int i = 0; i < 120; i++) {
                assertThat(r.get(i).errno()).as("request %d", i).isEqualTo(i % 7 == 3 ? Errno.ENOENT : 0);
            }
        }
    }

    @Test
    void overrunReceiveBufferNeverReportsAFailureAsSuccess() throws Exception {
        try (NetlinkSocket s = NetlinkSocket.open(Netlink.NETLINK_GENERIC)) {
            s.setIntOption(io.javalived.netlink.ffi.LibC.SOL_SOCKET, io.javalived.netlink.ffi.LibC.SO_RCVBUF, 1);
            List<NlMessage.Builder> reqs = new java.util.ArrayList<>();
            for (int i = 0; i < 300; i++) {
                reqs.add(GenlFamily.request("Missing" + i));
            }
            List<NetlinkSocket.Result> r = s.batch(reqs);
            assertThat(r).extracting(NetlinkSocket.Result::errno).allMatch(e -> e == Errno.ENOENT || e == Errno.ENOBUFS);
            assertThat(r).extracting(NetlinkSocket.Result::errno).contains(Errno.ENOBUFS);
            // the socket stays usable: stale answers are dropped
            s.setReceiveBufferSize(1 << 20);
            assertThat(GenlFamily.resolve(s, "nlctrl").id()).isEqualTo(Netlink.GENL_ID_CTRL);
        }
    }

    @Test
    void receiveTimesOutWithNull() throws Exception {
        try (NetlinkSocket s = NetlinkSocket.open(Netlink.NETLINK_ROUTE)) {
            long t0 = System.nanoTime();
            assertThat(s.receive(Duration.ofMillis(50))).isNull();
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(40_000_000L);
        }
    }
}
