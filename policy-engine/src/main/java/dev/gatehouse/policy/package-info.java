/**
 * The policy engine's API: a compiled policy decides {@link dev.gatehouse.policy.Request}s into
 * {@link dev.gatehouse.policy.Decision} values. Pure Java: no Netty, no I/O, no DNS.
 */
package dev.gatehouse.policy;
