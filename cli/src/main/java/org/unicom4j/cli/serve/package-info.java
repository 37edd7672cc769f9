/** {@code unicom4j serve}: the command line of the HTTP search service (the serve module). */
package org.unicom4j.cli.serve;
