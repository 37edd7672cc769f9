/**
 * {@code unicom4j demo}: the Fashion-MNIST preset ({@code examples/fashion-mnist-demo.json}) edited by the
 * command's options, run by the training engine, then a report (table, JSON, HTML, loss curve, neighbour grids).
 */
package org.unicom4j.cli.demo;
