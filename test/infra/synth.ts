/**
 * Synthesizes the app the way `cdk synth` does (cdk.json's feature flags, the cdk-nag plugin) but with the handlers
 * replaced by placeholders (`pmif:skipBundling`), so that assertion tests run offline in seconds. Real bundling is
 * tested in bundling.test.ts.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildReportingApp, PROJECT_ROOT } from '../../infra/reporting-app';
import type { ReportingStack } from '../../infra/reporting-stack';

/** One violation in the policy-validation report. */
export interface Violation {
  ruleName: string;
  description: string;
  violatingConstructs: { constructPath: string }[];
}

export interface PluginReport {
  pluginName: string;
  conclusion: 'success' | 'failure';
  violations: Violation[];
}

export interface Synthesized {
  stack: ReportingStack;
  template: Template;
  /** Raw template JSON. */
  json: { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
  /** The plugin reports of `validation-report.json` (cdk-nag's AwsSolutions is one). */
  reports: PluginReport[];
}

const featureFlags = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')).context as Record<
  string,
  unknown
>;

/** Options of {@link synthesize}. */
export interface SynthesizeOptions {
  /**
   * Run aws-cdk-lib's built-in CloudFormation template validation (a WebAssembly validator that takes seconds to
   * start in each process). On by default, as in `cdk synth`; tests of context variants turn it off, since the
   * default template is validated by stack.test.ts and variants change values, not shapes.
   */
  validateTemplate?: boolean;
}

/** Build and synthesize the app with cdk.json's context plus `context`. */
export function synthesize(context: Record<string, unknown> = {}, options: SynthesizeOptions = {}): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'pmif-cdk-'));
  const app = new App({
    outdir,
    builtinCloudFormationValidation: options.validateTemplate ?? true,
    context: {
      ...featureFlags,
      'pmif:skipBundling': 'true',
      // Report cdk-nag findings in validation-report.json instead of failing synth, so tests can read them.
      '@aws-cdk/core:failSynthOnValidationErrors': false,
      ...context,
    },
  });
  const stack = buildReportingApp(app);
  const assembly = app.synth();
  const json = JSON.parse(readFileSync(join(assembly.directory, stack.templateFile), 'utf8'));
  const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as {
    pluginReports: PluginReport[];
  };
  return { stack, template: Template.fromStack(stack), json, reports: report.pluginReports };
}

/** Logical ids of the resources of a type, with their properties. */
export function resourcesOf(json: Synthesized['json'], type: string): [string, Record<string, unknown>][] {
  return Object.entries(json.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => [id, r.Properties ?? {}]);
}
