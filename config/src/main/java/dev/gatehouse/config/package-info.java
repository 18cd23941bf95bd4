/** Loading Gatehouse's YAML files into immutable model records, with located diagnostics. */
package dev.gatehouse.config;
