/** javalived checkers module. */
package io.javalived.checkers;
