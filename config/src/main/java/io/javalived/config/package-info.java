/** javalived config module. */
package io.javalived.config;
