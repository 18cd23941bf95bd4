/**
 * Socket-test fixtures for the proxy: JUnit 5 extensions for an upstream origin, a DNS server and
 * canary listeners (all on loopback, port 0), the in-process Gatehouse server, a byte-exact raw
 * client and a runner for real clients.
 */
package dev.gatehouse.proxy.testing;
