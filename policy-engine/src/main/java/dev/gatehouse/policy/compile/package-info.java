/** Compiling a policy model into matchers, and the lint warnings that `gatehouse check` prints. */
package dev.gatehouse.policy.compile;
