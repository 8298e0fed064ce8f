package io.javalived.cli.status;

import io.javalived.director.status.DaemonStatus;
import io.javalived.daemon.StatusFixtures;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusTextTest {
    private static final Instant NOW = StatusFixtures.T0.plusSeconds(312);

    @Test
    void instancesShowStatePrioritiesVipsAndTrackers() {
        String t = StatusText.render(StatusFixtures.status(), NOW);
        assertThat(t).startsWith("javalived 0.1.0-SNAPSHOT  pid 4242  up 6m12s  config "
                + "/etc/keepalived/keepalived.conf (loaded 2026-11-24T20:59:30Z)  IPVS dry-run");
        assertThat(t).contains("  VI_1         MASTER  prio 160 (base 150)  vrid 51  eth0  since "
                + "2026-11-24T21:00:00Z (5m12s)  VIPs 10.0.0.100/32, 10.0.1.100/24 dev eth1\n");
        assertThat(t).contains("  VI_INTERNAL  BACKUP  prio 100 (base 100)  vrid 52 v3  eth1  since "
                + "2026-11-24T21:00:07Z (5m05s)  VIPs fd00::100/64\n    sync group G1\n");
        assertThat(t).contains("    track_script chk_up     GOOD  weight +10  effect +10\n");
        assertThat(t).contains("    track_interface eth1    DOWN  weight 0  FAULT\n");
        assertThat(t).contains("    track_file weight_file  GOOD  weight -5 reverse  effect -15  (value 3)\n");
        assertThat(t).contains("    adverts received 3 sent 312  became master 1  released master 0\n");
    }

    @Test
    void virtualServersShowQuorumPoolAndCheckerResults() {
        String t = StatusText.render(StatusFixtures.status(), NOW);
        assertThat(t).contains("  [10.0.0.100]:tcp:80  rr NAT  quorum UP (alive weight 1, quorum 1)  real servers "
                + "1/2 up\n    sorry server 10.0.0.9:80  standby\n");
        assertThat(t).contains("    10.0.0.2:80  UP    weight 1  in pool      since 2026-11-24T21:00:01Z (5m11s)\n"
                + "      TCP_CHECK [10.0.0.2]:tcp:80  up  last ok (0s ago, 0.8 ms)  consecutive failures 0  checks 312"
                + " failed 0\n        TCP connection to [10.0.0.2]:tcp:80 success.\n");
        assertThat(t).contains("    10.0.0.3:80  DOWN  weight 1  not in pool  since 2026-11-24T21:00:02Z (5m10s)\n"
                + "      HTTP_GET [10.0.0.3]:tcp:80  DOWN  last FAILED CONNECTION_REFUSED (1s ago, 1000 ms)  "
                + "consecutive failures 37  checks 312 failed 37\n        reason: HTTP_GET check on [10.0.0.3]:80 "
                + "failed: \"connection refused\" (errno 111)\t\\\n");
        assertThat(t).contains("      MISC_CHECK /bin/true  up  not checked yet\n");
        assertThat(t).contains("  FWM 1  wlc DR  quorum DOWN (alive weight 0, quorum 2 hysteresis 1)  real servers "
                + "0/1 up  SUSPENDED (ha_suspend: no VRRP instance is MASTER)\n");
    }

    @Test
    void emptyDaemonSaysNone() {
        DaemonStatus s = new DaemonStatus("1", 1, null, "/x.conf", null, "off", java.util.List.of(),
                java.util.List.of());
        assertThat(StatusText.render(s, NOW)).isEqualTo("javalived 1  pid 1  config /x.conf  IPVS off\n\n"
                + "VRRP instances: none\n\nVirtual servers: none\n");
    }

    @Test
    void agesAreShort() {
        assertThat(StatusText.age(NOW, NOW)).isEqualTo("0s");
        assertThat(StatusText.age(NOW.minusSeconds(59), NOW)).isEqualTo("59s");
        assertThat(StatusText.age(NOW.minusSeconds(62), NOW)).isEqualTo("1m02s");
        assertThat(StatusText.age(NOW.minusSeconds(3 * 3600 + 4 * 60 + 5), NOW)).isEqualTo("3h04m");
        assertThat(StatusText.age(NOW.minusSeconds(2 * 86400 + 3 * 3600), NOW)).isEqualTo("2d03h");
        assertThat(StatusText.age(NOW.plusSeconds(5), NOW)).isEqualTo("0s");
    }
}
