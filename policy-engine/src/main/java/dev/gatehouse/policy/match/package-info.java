/** Compiled matchers: host label trie, CIDR sets, port sets, method sets, path globs. */
package dev.gatehouse.policy.match;
