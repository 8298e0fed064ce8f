package io.javalived.vrrp.packet;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per-instance statistics with keepalived's names (as in {@code keepalived --signum=STATS} / SNMP), thread-safe.
 * Names: advert_rcvd, advert_sent, become_master, release_master, packet_len_err, advert_interval_err,
 * ip_ttl_err, invalid_type_rcvd, addr_list_err, invalid_authtype, authtype_mismatch, auth_failure,
 * pri_zero_rcvd, pri_zero_sent; plus javalived's version_err, vrid_err, checksum_err, protocol_err, family_err,
 * unicast_src_err for drops keepalived counts only in SNMP or not at all.
 */
public final class VrrpCounters {
    /** The keepalived statistics, in keepalived's order. */
    public static final String[] KEEPALIVED_NAMES = {
        "advert_rcvd", "advert_sent", "become_master", "release_master", "packet_len_err", "advert_interval_err",
        "ip_ttl_err", "invalid_type_rcvd", "addr_list_err", "invalid_authtype", "authtype_mismatch",
        "auth_failure", "pri_zero_rcvd", "pri_zero_sent"
    };

    private static final String[] NAMES;
    private static final Map<String, Integer> INDEX = new LinkedHashMap<>();
    private static final EnumMap<DropReason, Integer> DROP_INDEX = new EnumMap<>(DropReason.class);

    static {
        Map<String, Integer> idx = new LinkedHashMap<>();
        for (String n : KEEPALIVED_NAMES) {
            idx.putIfAbsent(n, idx.size());
        }
        for (DropReason r : DropReason.values()) {
            idx.putIfAbsent(r.counterName(), idx.size());
        }
        INDEX.putAll(idx);
        NAMES = idx.keySet().toArray(new String[0]);
        for (DropReason r : DropReason.values()) {
            DROP_INDEX.put(r, idx.get(r.counterName()));
        }
    }

    private static final int ADVERT_RCVD = INDEX.get("advert_rcvd");
    private static final int ADVERT_SENT = INDEX.get("advert_sent");
    private static final int PRI_ZERO_RCVD = INDEX.get("pri_zero_rcvd");
    private static final int PRI_ZERO_SENT = INDEX.get("pri_zero_sent");

    private final AtomicLongArray values = new AtomicLongArray(NAMES.length);

    private void inc(String name) {
        values.incrementAndGet(INDEX.get(name));
    }

    /** Counts a dropped packet in its reason's counter. */
    public void drop(DropReason reason) {
        values.incrementAndGet(DROP_INDEX.get(reason));
    }

    /** Counts a validation result: advert_rcvd when keepalived would, the drop reason, pri_zero_rcvd. */
    public void record(Verdict v) {
        if (v.countedReceived()) {
            values.incrementAndGet(ADVERT_RCVD);
        }
        if (!v.accepted()) {
            drop(v.reason());
        } else if (v.priorityZero()) {
            values.incrementAndGet(PRI_ZERO_RCVD);
        }
    }

    /** An advert sent with this priority (advert_sent, and pri_zero_sent for 0). */
    public void advertSent(int priority) {
        values.incrementAndGet(ADVERT_SENT); // no map look-up on the advert path
        if (priority == 0) {
            values.incrementAndGet(PRI_ZERO_SENT);
        }
    }

    public void becomeMaster() {
        inc("become_master");
    }

    public void releaseMaster() {
        inc("release_master");
    }

    /** One counter by name; IllegalArgumentException for unknown names. */
    public long get(String name) {
        Integer i = INDEX.get(name);
        if (i == null) {
            throw new IllegalArgumentException("unknown VRRP counter: " + name);
        }
        return values.get(i);
    }

    /** The counter of a drop reason. */
    public long get(DropReason reason) {
        return values.get(DROP_INDEX.get(reason));
    }

    /** All counters by name, keepalived's first (in keepalived's order), then javalived's. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < NAMES.length; i++) {
            m.put(NAMES[i], values.get(i));
        }
        return m;
    }

    /** All counter names, in {@link #snapshot()} order. */
    public static String[] names() {
        return NAMES.clone();
    }
}
