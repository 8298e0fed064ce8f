package io.javalived.vrrp.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-instance statistics under keepalived's names (advert_rcvd, advert_sent, become_master, release_master,
 * packet_len_err, ..., pri_zero_rcvd, pri_zero_sent), thread-safe, for the metrics endpoint.
 */
public final class InstanceCounters {
    public static final String[] NAMES = {"advert_rcvd", "advert_sent", "become_master", "release_master",
        "packet_len_err", "advert_interval_err", "ip_ttl_err", "invalid_type_rcvd", "addr_list_err",
        "invalid_authtype", "authtype_mismatch", "auth_failure", "pri_zero_rcvd", "pri_zero_sent"};

    private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();

    public InstanceCounters() {
        for (String n : NAMES) {
            values.put(n, new AtomicLong());
        }
    }

    public void inc(String name) {
        values.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
    }

    public long get(String name) {
        AtomicLong v = values.get(name);
        return v == null ? 0 : v.get();
    }

    /** A snapshot, keepalived's names first. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String n : NAMES) {
            m.put(n, get(n));
        }
        values.forEach((k, v) -> m.putIfAbsent(k, v.get()));
        return m;
    }
}
