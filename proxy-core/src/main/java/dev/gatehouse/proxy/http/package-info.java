/**
 * HTTP/1.1 forwarding: the codec, request checks against smuggling, hop-by-hop headers, the
 * upstream pool and the forward stage.
 */
package dev.gatehouse.proxy.http;
