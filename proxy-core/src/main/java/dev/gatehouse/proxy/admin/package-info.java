/**
 * The admin API listener: health, metrics, the policy in force and reloads, behind a bearer token.
 */
package dev.gatehouse.proxy.admin;
