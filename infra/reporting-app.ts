/**
 * Builds the app from its context: settings read and validated once, one stack, the cdk-nag AwsSolutions checks.
 * Shared by `infra/app.ts` (the CDK CLI's entry) and the tests.
 */
import { join } from 'node:path';
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readConfig } from './config';
import { ReportingStack } from './reporting-stack';

/** The repository root (this file is in infra/). */
export const PROJECT_ROOT = join(import.meta.dirname, '..');

export function buildReportingApp(app: App): ReportingStack {
  const config = readConfig((key) => app.node.tryGetContext(key));
  const stack = new ReportingStack(app, config.stackName, {
    config,
    projectRoot: PROJECT_ROOT,
    description: 'pmif-reports: quarterly AMIF/PMIF progress reports from coordinators’ workbooks',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
