/**
 * Agent identity: proxy credentials (hashed tokens, constant-time compare), source addresses and
 * anonymous clients.
 */
package dev.gatehouse.proxy.auth;
