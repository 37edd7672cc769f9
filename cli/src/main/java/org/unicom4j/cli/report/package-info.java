/** What a person looks at after a run: PNG charts and neighbour grids, and the HTML page that shows them. */
package org.unicom4j.cli.report;
