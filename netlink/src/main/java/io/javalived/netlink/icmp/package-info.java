/** ICMP echo sockets (unprivileged datagram or raw) and the echo codec, used by PING_CHECK. */
package io.javalived.netlink.icmp;
