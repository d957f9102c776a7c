/**
 * Logs and metrics the way Lambda users expect them: Powertools Logger (one JSON object per line with the request
 * id, cold start flag and function name) behind the core's {@link Logger} port, and Powertools Metrics (CloudWatch
 * Embedded Metric Format: metrics from log lines, no API calls, no extra latency) for the counts worth alarming on.
 */
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import type { MetricName } from '../core/metric-names';
import type { LogFields, Logger } from '../core/ports';

/** The core's log port on Powertools Logger. Events are the message; fields become top-level JSON keys. */
export class LambdaLogger implements Logger {
  constructor(readonly powertools: PowertoolsLogger) {}

  /** Add the invocation's request id, function name and cold start flag to every following line. */
  addContext(context: Context): void {
    this.powertools.addContext(context);
  }

  info(event: string, fields: LogFields = {}): void {
    this.powertools.info(event, fields);
  }

  warn(event: string, fields: LogFields = {}): void {
    this.powertools.warn(event, fields);
  }

  error(event: string, fields: LogFields = {}): void {
    this.powertools.error(event, fields);
  }
}

/** Counts per invocation, published once at its end. */
export interface JobMetrics {
  count(name: MetricName, value?: number): void;
  /** Publish what was counted since the last publish (nothing is written when nothing was counted). */
  publish(): void;
}

/** For runs that publish no metrics. */
export const noMetrics: JobMetrics = { count() {}, publish() {} };

/** {@link JobMetrics} on Powertools Metrics. Zero counts are skipped: absent data is cheaper and reads the same. */
export class LambdaMetrics implements JobMetrics {
  constructor(readonly powertools: Metrics) {}

  count(name: MetricName, value = 1): void {
    if (value > 0) this.powertools.addMetric(name, MetricUnit.Count, value);
  }

  publish(): void {
    if (this.powertools.hasStoredMetrics()) this.powertools.publishStoredMetrics();
  }
}

/** The logger and metrics of one job (`service` in logs, `service` dimension in metrics). */
export function lambdaTelemetry(options: { service: string; namespace: string; logLevel: LogLevel }): {
  log: LambdaLogger;
  metrics: LambdaMetrics;
} {
  return {
    log: new LambdaLogger(new PowertoolsLogger({ serviceName: options.service, logLevel: options.logLevel })),
    metrics: new LambdaMetrics(new Metrics({ namespace: options.namespace, serviceName: options.service })),
  };
}
