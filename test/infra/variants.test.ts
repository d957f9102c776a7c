/** The context parameters change what they should, and bad ones stop the synth with every problem named. */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../infra/config';
import { resourcesOf, synthesize as synthesizeWithValidation } from './synth';
import { flatten, identityStatementsByRole, stateMachineDefinition } from './template-helpers';

const synthesize = (context: Record<string, unknown> = {}) =>
  synthesizeWithValidation(context, { validateTemplate: false });

describe('context parameters', () => {
  it('locks in COMPLIANCE mode for the years given', () => {
    const { template } = synthesize({ 'pmif:retentionMode': 'COMPLIANCE', 'pmif:retentionYears': '7' });
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: 7 } },
      },
    });
  });

  it('splits schedules when the deadline lands on different days in different quarters', () => {
    const { json } = synthesize({ 'pmif:deadlineDays': '35', 'pmif:reminderDays': '5' });
    const expressions = resourcesOf(json, 'AWS::Scheduler::Schedule').map(([, p]) => p.ScheduleExpression);
    expect(expressions).toEqual([
      'cron(0 6 30 1,4,7,10 ? *)',
      'cron(0 6 5 2,8,11 ? *)',
      'cron(0 6 6 5 ? *)',
      // Pending uploads re-examined daily, before the day's runs.
      'cron(0 5 * * ? *)',
      'cron(0 7 * * ? *)',
      // The transmission: the day after the Q4 and Q2 deadlines only (Feb 5, Aug 5).
      'cron(0 6 5 2,8 ? *)',
    ]);
  });

  it('bounds the Map, the log retention and the ingest concurrency as configured', () => {
    const { json } = synthesize({
      'pmif:mapConcurrency': '25',
      'pmif:logRetentionDays': '100',
      'pmif:ingestReservedConcurrency': 'none',
      'pmif:logLevel': 'debug',
    });
    const [[, sm]] = resourcesOf(json, 'AWS::StepFunctions::StateMachine') as [[string, Record<string, unknown>]];
    expect(stateMachineDefinition(sm).States.RenderProjects?.MaxConcurrency).toBe(25);
    for (const [, group] of resourcesOf(json, 'AWS::Logs::LogGroup')) expect(group.RetentionInDays).toBe(90);
    const functions = resourcesOf(json, 'AWS::Lambda::Function').filter(([, p]) => p.Runtime === 'nodejs24.x');
    // The seven jobs, the mail feedback and the upload endpoint.
    expect(functions).toHaveLength(9);
    for (const [, p] of functions) {
      // The public upload endpoint keeps its own throttle whatever the ingest setting (upload-endpoint.test.ts).
      if (!String(p.Description).startsWith('pmif-reports upload:'))
        expect(p.ReservedConcurrentExecutions).toBeUndefined();
      expect(p.LoggingConfig).toMatchObject({ ApplicationLogLevel: 'DEBUG' });
      expect((p.Environment as { Variables: Record<string, unknown> }).Variables.LOG_LEVEL).toBe('DEBUG');
    }
  });

  it('uses an identity that already exists without creating it (nothing to delete with the stack)', () => {
    const { json, reports } = synthesize({
      'pmif:sesIdentity': 'example.lv',
      'pmif:sesIdentityExisting': 'true',
      'pmif:mailFrom': 'pmif@example.lv',
    });
    expect(resourcesOf(json, 'AWS::SES::EmailIdentity')).toEqual([]);
    const senders = [...identityStatementsByRole(json).values()]
      .flat()
      .filter((s) => s.actions.includes('ses:SendRawEmail'));
    // Ingest, deliver, remind and transmission.
    expect(senders).toHaveLength(4);
    for (const s of senders) {
      expect(s.condition).toEqual({ StringEquals: { 'ses:FromAddress': 'pmif@example.lv', 'ses:ApiVersion': '2' } });
    }
    expect(reports.flatMap((r) => r.violations.map((v) => v.ruleName))).toEqual([]);
  });

  it('sends with a configuration set that already exists, adding only its own event destination to it', () => {
    const { json, reports } = synthesize({ 'pmif:sesConfigurationSet': 'ministry-mail' });
    expect(resourcesOf(json, 'AWS::SES::ConfigurationSet')).toEqual([]);
    const destinations = resourcesOf(json, 'AWS::SES::ConfigurationSetEventDestination');
    expect(destinations.map(([, p]) => p.ConfigurationSetName)).toEqual(['ministry-mail']);
    const senders = resourcesOf(json, 'AWS::Lambda::Function').filter(
      ([, p]) => (p.Environment as { Variables?: Record<string, unknown> })?.Variables?.SES_CONFIGURATION_SET,
    );
    expect(senders).toHaveLength(4);
    for (const [, p] of senders) {
      expect((p.Environment as { Variables: Record<string, unknown> }).Variables.SES_CONFIGURATION_SET).toBe(
        'ministry-mail',
      );
    }
    const grants = [...identityStatementsByRole(json).values()]
      .flat()
      .filter((s) => s.actions.includes('ses:SendRawEmail'));
    for (const g of grants) {
      expect(g.resources).toContain(
        'arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:configuration-set/ministry-mail',
      );
    }
    expect(reports.flatMap((r) => r.violations.map((v) => v.ruleName))).toEqual(['Annotation::pmif:sesIdentity']);
    expect(() => synthesize({ 'pmif:sesConfigurationSet': 'has spaces' })).toThrow(/pmif:sesConfigurationSet/);
  });

  it('verifies a domain identity (DKIM records as outputs), mails from inside it and subscribes the operator', () => {
    const { template, json, reports } = synthesize({
      'pmif:sesIdentity': 'pmif.example.lv',
      'pmif:mailFrom': 'parskati@pmif.example.lv',
      'pmif:alarmEmail': 'it@example.lv',
      'pmif:coordinatorProjects': 'riga-integration',
      'pmif:coordinatorPrincipal': 'arn:aws:iam::123456789012:role/coordinators',
    });
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'pmif.example.lv' });
    expect(Object.keys(template.findOutputs('*')).filter((k) => /^DkimRecord[1-3]$/.test(k))).toHaveLength(3);
    for (const [, p] of resourcesOf(json, 'AWS::Lambda::Function').filter(([, p]) => p.Runtime === 'nodejs24.x')) {
      expect((p.Environment as { Variables: Record<string, unknown> }).Variables.MAIL_FROM).toBe(
        'parskati@pmif.example.lv',
      );
    }
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'it@example.lv' });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { AWS: 'arn:aws:iam::123456789012:role/coordinators' } })],
      },
    });
    // More resources, still nothing for cdk-nag (or anything else) to report.
    expect(reports.flatMap((r) => r.violations.map((v) => v.ruleName))).toEqual([]);
    // And still no wildcard action anywhere.
    const wild = [...identityStatementsByRole(json).values()]
      .flat()
      .flatMap((s) => s.actions.filter((a) => a.includes('*')));
    expect(wild).toEqual([]);
  });

  it('stops with every bad key named', () => {
    expect(() => synthesize({ 'pmif:retentionYears': 'ten', 'pmif:deadlineDays': '90' })).toThrow(ConfigError);
    expect(() => synthesize({ 'pmif:retentionYears': 'ten', 'pmif:deadlineDays': '90' })).toThrow(
      /pmif:retentionYears[\s\S]*pmif:deadlineDays/,
    );
  });

  it('warns, without failing, when no SES identity is given', () => {
    const { reports } = synthesize();
    const annotations = reports.find((r) => r.pluginName === 'Construct Annotations')?.violations ?? [];
    expect(annotations.map((v) => flatten(v.ruleName))).toContain('Annotation::pmif:sesIdentity');
  });
});
