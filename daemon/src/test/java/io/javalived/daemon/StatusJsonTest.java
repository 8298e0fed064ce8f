package io.javalived.daemon;

import io.javalived.director.status.DaemonStatus;
import io.javalived.director.status.VirtualServerStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusJsonTest {
    @Test
    void roundTripGivesTheSameStatus() {
        DaemonStatus s = StatusFixtures.status();
        String json = StatusJson.write(s);
        assertThat(StatusJson.read(json)).isEqualTo(s);
        assertThat(StatusJson.write(StatusJson.read(json))).isEqualTo(json);
    }

    @Test
    void piecesGiveTheSameTextAsOneString() {
        DaemonStatus s = StatusFixtures.status();
        DaemonStatus noVs = new DaemonStatus(s.version(), s.pid(), s.startedAt(), s.configFile(), s.configLoadedAt(),
                s.ipvs(), s.instances(), List.of());
        DaemonStatus noRs = new DaemonStatus(s.version(), s.pid(), s.startedAt(), s.configFile(), s.configLoadedAt(),
                s.ipvs(), List.of(), List.of(new VirtualServerStatus("FWM 2", "wlc", "DR", false, 2, 1, 0, 0, 0, null,
                false, true, List.of()), s.virtualServers().get(0), s.virtualServers().get(1)));
        for (DaemonStatus d : List.of(s, noVs, noRs)) {
            for (int min : new int[] {1, 100, 1 << 20}) {
                StringBuilder all = new StringBuilder();
                StringBuilder piece = new StringBuilder();
                int calls = 0;
                StatusJson.Pieces p = StatusJson.pieces(d);
                while (p.next(piece, min)) {
                    all.append(piece);
                    piece.setLength(0);
                    calls++;
                }
                assertThat(all.toString()).as("min " + min).isEqualTo(StatusJson.write(d));
                assertThat(p.next(piece, min)).isFalse();
                assertThat(calls).as("min " + min).isGreaterThan(min == 1 && !d.virtualServers().isEmpty() ? 3 : 0);
            }
        }
    }

    @Test
    void anAnycastAnnouncementRoundTrips() {
        DaemonStatus s = StatusFixtures.status();
        io.javalived.director.status.AnycastStatus a = new io.javalived.director.status.AnycastStatus(
                "10.0.0.100/32", 100, "anycast0", true, Instant.parse("2026-11-24T21:00:00Z"));
        DaemonStatus withAnycast = new DaemonStatus(s.version(), s.pid(), s.startedAt(), s.configFile(),
                s.configLoadedAt(), s.ipvs(), s.instances(),
                List.of(s.virtualServers().get(0).withAnycast(a), s.virtualServers().get(1)));
        String json = StatusJson.write(withAnycast);
        assertThat(json.replaceAll("\\s+", "")).contains("\"anycast\":{\"prefix\":\"10.0.0.100/32\",\"table\":100,\"interface\":\"anycast0\","
                + "\"announced\":true,\"since\":\"2026-11-24T21:00:00Z\"}");
        assertThat(StatusJson.read(json)).isEqualTo(withAnycast);
        assertThat(StatusJson.read(StatusJson.write(s)).virtualServers().get(0).anycast()).isNull();
    }

    @Test
    void fieldsAreNamedAsDocumented() {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) StatusJson.parse(StatusJson.write(StatusFixtures.status()));
        assertThat(m).containsKeys("schema", "version", "pid", "startedAt", "configFile", "configLoadedAt", "ipvs",
                "instances", "virtualServers");
        assertThat(m.get("startedAt")).isEqualTo("2026-11-24T20:59:00Z");
        @SuppressWarnings("unchecked")
        Map<String, Object> i = ((List<Map<String, Object>>) m.get("instances")).get(0);
        assertThat(i.keySet()).containsExactly("name", "interface", "vrid", "vrrpVersion", "state", "basePriority",
                "effectivePriority", "virtualIps", "stateSince", "masterSince", "syncGroup", "trackers", "counters");
        assertThat(i.get("masterSince")).isEqualTo("2026-11-24T21:00:00Z");
        @SuppressWarnings("unchecked")
        Map<String, Object> tr = ((List<Map<String, Object>>) i.get("trackers")).get(1);
        assertThat(tr).containsEntry("state", "DOWN").containsEntry("weight", BigDecimal.ZERO)
                .containsEntry("fault", true);
        @SuppressWarnings("unchecked")
        Map<String, Object> vs = ((List<Map<String, Object>>) m.get("virtualServers")).get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> bad = ((List<Map<String, Object>>) vs.get("realServers")).get(1);
        assertThat(bad).containsEntry("health", "DOWN").containsEntry("inPool", false);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> checks = (List<Map<String, Object>>) bad.get("checks");
        assertThat(checks.get(0)).containsEntry("lastFailure", "CONNECTION_REFUSED")
                .containsEntry("lastResult", "failed").containsEntry("consecutiveFailures", new BigDecimal(37))
                .containsEntry("lastDurationSeconds", BigDecimal.ONE);
        assertThat(checks.get(1)).containsEntry("lastDurationSeconds", null).containsEntry("lastResult", null)
                .containsEntry("lastAt", null);
    }

    @Test
    void durationsAreSecondsAndTimesMillisecondsUtc() {
        String json = StatusJson.write(StatusFixtures.status());
        assertThat(json).contains("\"lastDurationSeconds\": 0.000812345").contains("\"lastAt\": "
                + "\"2026-11-24T21:05:11.250Z\"");
        DaemonStatus s = StatusFixtures.status();
        DaemonStatus withNanos = new DaemonStatus(s.version(), s.pid(), Instant.parse("2026-11-24T21:00:00.123456789Z"),
                s.configFile(), s.configLoadedAt(), s.ipvs(), s.instances(), s.virtualServers());
        assertThat(StatusJson.read(StatusJson.write(withNanos)).startedAt())
                .isEqualTo(Instant.parse("2026-11-24T21:00:00.123Z"));
    }

    @Test
    void unknownFieldsAreIgnoredAndMissingOnesDefault() {
        DaemonStatus s = StatusJson.read("{\"pid\": 7, \"future\": {\"x\": [1, 2.5e3, true, null]},"
                + " \"instances\": [{\"name\": \"VI_9\", \"state\": \"FAULT\"}]}");
        assertThat(s.pid()).isEqualTo(7);
        assertThat(s.virtualServers()).isEmpty();
        assertThat(s.instances().get(0).name()).isEqualTo("VI_9");
        assertThat(s.instances().get(0).trackers()).isEmpty();
        assertThat(s.instances().get(0).masterSince()).isNull();
    }

    @Test
    void stringsEscapeAndUnescape() {
        StringBuilder sb = new StringBuilder();
        io.javalived.daemon.Json.string(sb, "a\"b\\c\nd\u0001\u2028é");
        assertThat(sb).hasToString("\"a\\\"b\\\\c\\nd\\u0001\\u2028\\u00e9\"");
        assertThat(StatusJson.parse(sb.toString())).isEqualTo("a\"b\\c\nd\u0001\u2028é");
        assertThat(StatusJson.parse("\"\\u00e9\\/\"")).isEqualTo("é/");
    }

    @Test
    void badInputSaysWhere() {
        assertThatThrownBy(() -> StatusJson.read("{\"pid\": \"x\"}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("status.pid is not a number");
        assertThatThrownBy(() -> StatusJson.read("{\"instances\": [{\"vrid\": 1.5}]}"))
                .hasMessageContaining("status.instances[0].vrid is not an integer");
        assertThatThrownBy(() -> StatusJson.read("{\"startedAt\": \"yesterday\"}"))
                .hasMessageContaining("status.startedAt is not an ISO-8601 UTC time");
        assertThatThrownBy(() -> StatusJson.read("[1]")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> StatusJson.parse("{\"a\": 1")).hasMessageContaining("unexpected end");
        assertThatThrownBy(() -> StatusJson.parse("{\"a\": 1} x")).hasMessageContaining("offset 9");
        assertThatThrownBy(() -> StatusJson.parse("[".repeat(100))).hasMessageContaining("nested too deeply");
        assertThatThrownBy(() -> StatusJson.parse("error: no")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnknownFailureClassReadsAsNull() {
        String json = StatusJson.write(StatusFixtures.status()).replace("CONNECTION_REFUSED", "QUANTUM_FLUX");
        assertThat(StatusJson.read(json).virtualServers().get(0).realServers().get(1).checks().get(0).lastFailure())
                .isNull();
    }
}
