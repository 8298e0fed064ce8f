package io.javalived.ipvs;

/** A service as read from the kernel: configuration plus counters. */
public record ServiceEntry(VirtualServer service, IpvsStats stats) {
    public ServiceKey key() {
        return service.key();
    }
}
