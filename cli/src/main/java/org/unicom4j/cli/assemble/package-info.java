/** {@code unicom4j assemble}: several labelled sources merged into one multi-domain training CSV. */
package org.unicom4j.cli.assemble;
