/** Host normalisation (SPEC §2.2) and IP literal parsing, legacy IPv4 spellings included. */
package dev.gatehouse.policy.host;
