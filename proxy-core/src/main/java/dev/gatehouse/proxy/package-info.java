/** The Netty proxy server: options, bootstrap and lifecycle. */
package dev.gatehouse.proxy;
