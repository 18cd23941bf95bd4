/** The only SnakeYAML user: node-level parsing that keeps every value's line and column. */
package dev.gatehouse.config.yaml;
