package io.javalived.ipvs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A snapshot of the kernel's IPVS table: services with their destinations, in the kernel's order. */
public final class IpvsTable {
    /** A service and its destinations. */
    public record Row(ServiceEntry entry, List<DestEntry> dests) {
        public Row {
            dests = List.copyOf(dests);
        }

        public ServiceKey key() {
            return entry.key();
        }

        public Service service() {
            return entry.service();
        }

        public List<Destination> servers() {
            List<Destination> out = new ArrayList<>(dests.size());
            for (DestEntry d : dests) {
                out.add(d.server());
            }
            return out;
        }
    }

    private final List<Row> services;
    private final Map<ServiceKey, Row> byKey = new LinkedHashMap<>();

    public IpvsTable(List<Row> services) {
        this.services = List.copyOf(services);
        for (Row s : services) {
            byKey.put(s.key(), s);
        }
    }

    public List<Row> services() {
        return services;
    }

    public Row get(ServiceKey key) {
        return byKey.get(key);
    }

    public Map<ServiceKey, Row> byKey() {
        return Collections.unmodifiableMap(byKey);
    }

    public int size() {
        return services.size();
    }
}
