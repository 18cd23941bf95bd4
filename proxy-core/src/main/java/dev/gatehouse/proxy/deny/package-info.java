/**
 * The responses Gatehouse makes itself (403, 407, 400, 431, 502, 503, 504): headers, reason phrases
 * and bodies an agent can act on.
 */
package dev.gatehouse.proxy.deny;
