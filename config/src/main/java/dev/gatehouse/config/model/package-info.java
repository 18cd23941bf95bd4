/** Immutable records for the policy (SPEC §2) and the server configuration (SPEC §9). */
package dev.gatehouse.config.model;
