/**
 * Random number generators whose whole state is a value a checkpoint can hold, so a resumed run draws exactly
 * what an uninterrupted one would have drawn.
 */
package org.unicom4j.training.random;
