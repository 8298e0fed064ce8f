/** javalived netlink module. */
package io.javalived.netlink;
