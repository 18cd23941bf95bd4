/**
 * TLS interception (SPEC §3): Gatehouse's certificate authority, per-host leaf certificates minted
 * on first use and cached, the Netty {@code SslContext}s that terminate a client's TLS with them,
 * and the client context that verifies upstream servers.
 */
package dev.gatehouse.proxy.tls;
