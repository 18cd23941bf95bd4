/** The policy in force, and its hot reload from a watched file. */
package dev.gatehouse.proxy.reload;
