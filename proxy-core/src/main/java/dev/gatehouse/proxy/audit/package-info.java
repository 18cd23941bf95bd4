/**
 * The audit log: one JSON line per decision (and per approval, reload and mode switch), written off
 * the event loop by one writer thread, rotated by size, drained and fsynced on close; see
 * docs/audit.md for the schema and the durability guarantee.
 */
package dev.gatehouse.proxy.audit;
