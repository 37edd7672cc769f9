/** {@code unicom4j demo}: the Unicom pipeline on Fashion-MNIST, from the IDX files to an HTML report. */
package org.unicom4j.cli.demo;
