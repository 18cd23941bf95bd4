/** Explanations of a decision: every candidate rule and why it did or did not match. */
package dev.gatehouse.policy.explain;
