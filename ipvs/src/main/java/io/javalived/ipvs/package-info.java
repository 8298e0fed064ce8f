/** javalived ipvs module. */
package io.javalived.ipvs;
