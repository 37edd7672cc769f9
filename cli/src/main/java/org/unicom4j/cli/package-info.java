/** The {@code unicom4j} command line: subcommands, one-line errors, non-zero exit codes on bad input. */
package org.unicom4j.cli;
