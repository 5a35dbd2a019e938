/**
 * Talking to a Skydive analyzer over HTTP: where it is and its credentials
 * ({@link io.caravan.skydive.analyzer.Analyzer}), Basic or login-cookie auth
 * ({@link io.caravan.skydive.analyzer.AnalyzerAuth}), and Gremlin topology queries
 * ({@link io.caravan.skydive.analyzer.AnalyzerClient}) for the stages that look nodes up.
 */
package io.caravan.skydive.analyzer;
