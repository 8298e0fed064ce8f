package io.javalived.ipvs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A snapshot of the kernel's IPVS table: services with their destinations, in the kernel's order. */
public final class IpvsTable {
    /** A service and its destinations. */
    public record Service(ServiceEntry entry, List<DestEntry> dests) {
        public Service {
            dests = List.copyOf(dests);
        }

        public ServiceKey key() {
            return entry.key();
        }

        public VirtualServer service() {
            return entry.service();
        }

        public List<RealServer> servers() {
            List<RealServer> out = new ArrayList<>(dests.size());
            for (DestEntry d : dests) {
                out.add(d.server());
            }
            return out;
        }
    }

    private final List<Service> services;
    private final Map<ServiceKey, Service> byKey = new LinkedHashMap<>();

    public IpvsTable(List<Service> services) {
        this.services = List.copyOf(services);
        for (Service s : services) {
            byKey.put(s.key(), s);
        }
    }

    public List<Service> services() {
        return services;
    }

    public Service get(ServiceKey key) {
        return byKey.get(key);
    }

    public Map<ServiceKey, Service> byKey() {
        return Collections.unmodifiableMap(byKey);
    }

    public int size() {
        return services.size();
    }
}
