/** javalived vrrp module. */
package io.javalived.vrrp;
