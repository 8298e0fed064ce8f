/**
 * IPVS over generic netlink (family "IPVS", linux/ip_vs.h), with nothing shelled out to ipvsadm.
 *
 * <ul>
 *   <li>Model: {@link io.javalived.ipvs.ServiceKey} (protocol + address + port, or fwmark; IPv4/IPv6),
 *       {@link io.javalived.ipvs.Service} (scheduler, flags, persistence timeout/netmask, pe),
 *       {@link io.javalived.ipvs.Destination} (forwarding NAT/DR/TUN + tunnel type/port/flags, weight, thresholds),
 *       {@link io.javalived.ipvs.IpvsStats} (64-bit counters when the kernel sends them, else the 32-bit ones),
 *       {@link io.javalived.ipvs.IpvsInfo}, {@link io.javalived.ipvs.IpvsTimeouts},
 *       {@link io.javalived.ipvs.SyncDaemon}.</li>
 *   <li>{@link io.javalived.ipvs.IpvsClient}: every IPVS command; {@code applyAll} sends many changes per send(2)
 *       and reports each one's outcome. Errors name the change as an ipvsadm command line and the errno.</li>
 *   <li>{@link io.javalived.ipvs.Reconciler}: desired table vs kernel → minimal add/edit/delete, applied as one
 *       batch; owns only the services the desired table names (plus those it owned before); never flushes; rolls back
 *       a service it created if one of its destinations fails.</li>
 *   <li>{@link io.javalived.ipvs.IpvsText}: ipvsadm -Ln's exact layout and order (and --stats, --rate,
 *       --thresholds, --persistent-conn, --tun-info, --exact), and JSON.</li>
 * </ul>
 *
 * <p>Known differences from ipvsadm: ipvsadm rewrites the port of a DR or tunnel destination to the service's port;
 * javalived sends the port it is given (the kernel keeps it). Listings are always numeric (like -n).
 */
package io.javalived.ipvs;
