/**
 * A training run from a JSON config file: data sources, model, loss, optimiser and schedule settings, the loop
 * with progress, a JSON-lines metrics log, Recall@1 evaluation after each epoch, and checkpoint/resume.
 */
package org.unicom4j.training.run;
