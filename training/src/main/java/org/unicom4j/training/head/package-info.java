/**
 * The {@code head} method (spec unifex.md): a projection head trained with a margin loss on a frozen backbone's
 * cached features, composed with the backbone into one model at the end.
 */
package org.unicom4j.training.head;
