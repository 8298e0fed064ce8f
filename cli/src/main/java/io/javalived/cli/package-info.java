/** javalived cli module. */
package io.javalived.cli;
