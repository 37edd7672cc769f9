/** Optimisers over parameter groups (AdamW on the backend's kernel) and learning-rate/momentum schedules. */
package org.unicom4j.training.optim;
