package io.javalived.ipvs;

/** IPVS version (0x010201 = 1.2.1) and connection hash table size. */
public record IpvsInfo(long version, long connTableSize) {
    /** "1.2.1". */
    public String versionString() {
        return ((version >> 16) & 0xff) + "." + ((version >> 8) & 0xff) + "." + (version & 0xff);
    }
}
