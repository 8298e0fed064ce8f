package io.javalived.director;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.config.KeepalivedConfigReader;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.ipvs.Ipvs;
import io.javalived.ipvs.SyncDaemon;
import io.javalived.netlink.NetlinkException;
import io.javalived.vrrp.state.VrrpState;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** lvs_sync_daemon: which daemon runs when, as keepalived 2.2.7 runs it (kernel calls recorded). */
class IpvsSyncdTest {
    /** Records "start master eth1 5" / "stop backup"; refuses a second start of a running state (EEXIST). */
    static final class Recorder implements IpvsSyncd.Kernel {
        final List<String> calls = new ArrayList<>();
        boolean master;
        boolean backup;

        public void start(SyncDaemon d) throws NetlinkException {
            calls.add("start " + d.stateName() + " " + d.interfaceName() + " " + d.syncId());
            boolean m = d.state() == Ipvs.STATE_MASTER;
            if (m ? master : backup) {
                throw new NetlinkException("--start-daemon", 17, "File exists");
            }
            if (m) {
                master = true;
            } else {
                backup = true;
            }
        }

        public void stop(int state) throws NetlinkException {
            boolean m = state == Ipvs.STATE_MASTER;
            calls.add("stop " + (m ? "master" : "backup"));
            if (!(m ? master : backup)) {
                throw new NetlinkException("--stop-daemon", 3, "No such process");
            }
            if (m) {
                master = false;
            } else {
                backup = false;
            }
        }

        List<String> take() {
            List<String> c = List.copyOf(calls);
            calls.clear();
            return c;
        }
    }

    static KeepalivedConfig conf(String syncd) throws Exception {
        return KeepalivedConfigReader.read("""
                global_defs {
                  %s
                }
                vrrp_instance VI_1 {
                  interface eth0
                  virtual_router_id 51
                  priority 100
                  virtual_ipaddress {
                    192.0.2.10
                  }
                }
                """.formatted(syncd), Path.of("syncd.conf")).config();
    }

    @Test
    void instanceDrivenDaemonFollowsMasterAndBackup() throws Exception {
        Recorder k = new Recorder();
        IpvsSyncd s = new IpvsSyncd(k);
        IpvsSyncd.Plan p = IpvsSyncd.plan(conf("lvs_sync_daemon eth1 VI_1"));
        assertThat(p.settings().syncId()).as("id defaults to the instance's vrid").isEqualTo(51);
        s.start(p, true, true);
        assertThat(k.take()).containsExactly("start backup eth1 51");
        s.onState("VI_1", VrrpState.BACKUP);
        s.onState("VI_2", VrrpState.MASTER);
        assertThat(k.take()).isEmpty();
        s.onState("VI_1", VrrpState.MASTER);
        assertThat(k.take()).containsExactly("stop backup", "start master eth1 51");
        s.onState("VI_1", VrrpState.FAULT);
        assertThat(k.take()).containsExactly("stop master", "start backup eth1 51");
        s.onState("VI_1", VrrpState.BACKUP); // FAULT -> BACKUP: the backup daemon already runs
        assertThat(k.take()).isEmpty();
        s.onState("VI_1", VrrpState.MASTER);
        k.take();
        s.stopAll();
        assertThat(k.take()).containsExactly("stop master");
        assertThat(k.master || k.backup).isFalse();
    }

    @Test
    void withoutInstanceBothRunFromStartToStop() throws Exception {
        Recorder k = new Recorder();
        IpvsSyncd s = new IpvsSyncd(k);
        IpvsSyncd.Plan p = IpvsSyncd.plan(conf("lvs_sync_daemon eth1 id 7 maxlen 1400 port 8850 ttl 2 group 239.1.2.3"));
        assertThat(p.instance()).isNull();
        assertThat(p.as(Ipvs.STATE_MASTER)).isEqualTo(new SyncDaemon(Ipvs.STATE_MASTER, "eth1", 7, 1400,
                InetAddress.getByName("239.1.2.3"), 8850, 2));
        s.start(p, false, true);
        assertThat(k.take()).containsExactly("stop master", "stop backup", "start master eth1 7", "start backup eth1 7");
        s.onState("VI_1", VrrpState.MASTER);
        assertThat(k.take()).isEmpty();
        s.stopAll();
        assertThat(k.take()).containsExactly("stop master", "stop backup");
        // the checkers do not run (--vrrp-only): nothing
        s.start(p, true, false);
        assertThat(k.take()).isEmpty();
    }

    @Test
    void missingInstanceClearsTheConfig() throws Exception {
        assertThat(IpvsSyncd.plan(conf("lvs_sync_daemon eth1 VI_9"))).isNull();
        assertThat(IpvsSyncd.plan(conf("router_id r1"))).isNull();
    }

    @Test
    void reloadRestartsOnAChangeAndStopsWhenRemoved() throws Exception {
        Recorder k = new Recorder();
        IpvsSyncd s = new IpvsSyncd(k);
        s.start(IpvsSyncd.plan(conf("lvs_sync_daemon eth1 VI_1")), true, true);
        s.onState("VI_1", VrrpState.MASTER);
        k.take();
        // unchanged: nothing
        s.reload(IpvsSyncd.plan(conf("lvs_sync_daemon eth1 VI_1")), true, true, n -> VrrpState.MASTER);
        assertThat(k.take()).isEmpty();
        // the id changed: the master daemon restarted with it, the backup stopped (not running: ignored)
        s.reload(IpvsSyncd.plan(conf("lvs_sync_daemon eth1 VI_1 id 9")), true, true, n -> VrrpState.MASTER);
        assertThat(k.take()).containsExactly("stop master", "start master eth1 9", "stop backup");
        assertThat(k.master).isTrue();
        // removed: stopped
        s.reload(IpvsSyncd.plan(conf("router_id r1")), true, true, n -> VrrpState.MASTER);
        assertThat(k.take()).containsExactly("stop master");
        assertThat(k.master || k.backup).isFalse();
        // added back while the instance is BACKUP
        s.reload(IpvsSyncd.plan(conf("lvs_sync_daemon eth1 VI_1")), true, true, n -> VrrpState.BACKUP);
        assertThat(k.take()).containsExactly("start backup eth1 51");
    }
}
