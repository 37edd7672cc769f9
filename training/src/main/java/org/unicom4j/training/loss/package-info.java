/** The margin-softmax family over sampled class prototypes and sampled feature dimensions, and its samplers. */
package org.unicom4j.training.loss;
