/**
 * CONNECT tunnels: set-up after the decision, the first-bytes check (SNI, plain HTTP, other
 * protocols), the byte relay, and the seam where TLS interception plugs in ({@link
 * dev.gatehouse.proxy.tunnel.TunnelInterceptor}).
 */
package dev.gatehouse.proxy.tunnel;
