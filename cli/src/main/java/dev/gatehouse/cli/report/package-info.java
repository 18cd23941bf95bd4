/**
 * {@code gatehouse report}: streams audit files (plain, rotated, gzipped), summarises blocked calls
 * in bounded memory, renders the summary (table, JSON, CSV, Markdown, self-contained HTML) and
 * suggests policy rules that would allow what was blocked.
 */
package dev.gatehouse.cli.report;
