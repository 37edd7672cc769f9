/**
 * Run configs as JSON: {@link org.unicom4j.training.config.RunConfig} (method, data, model, seed, stages) and the
 * stages' specs, read key by key by {@link org.unicom4j.training.config.ConfigNode}; every bad key or value is a
 * one-line {@link org.unicom4j.training.config.InvalidConfigException}.
 */
package org.unicom4j.training.config;
