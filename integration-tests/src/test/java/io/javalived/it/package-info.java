/** Real-kernel and real-peer tests and benchmarks. */
package io.javalived.it;
