/**
 * What matters about the stack, asserted on the synthesized template (default context): storage safety, the upload
 * trigger, the calendar, the workflow, the functions, the queues and alarms, and cdk-nag.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';

/** asl-validator ships no type declarations; loaded through require and described here as used. */
const aslValidator = createRequire(import.meta.url)('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errorsText(): string;
};

import { ReportIntegrityError } from '../../functions/app/deliver';
import { IntegrityError } from '../../functions/app/deps';
import { HANDLERS } from '../../infra/bundling';
import type { AccessLogBucket } from '../../infra/constructs/access-log-bucket';
import type { ArchiveBucket } from '../../infra/constructs/archive-bucket';
import type { DataBucket } from '../../infra/constructs/data-bucket';
import type { DeadLetterQueue } from '../../infra/constructs/dead-letter-queue';
import { DISTRIBUTED_FROM, type GenerateWorkflow } from '../../infra/constructs/generate-workflow';
import type { MailFeedback } from '../../infra/constructs/mail-feedback';
import type { OperatorAlarms } from '../../infra/constructs/operator-alarms';
import type { ReportFunction } from '../../infra/constructs/report-function';
import type { UploadEndpoint } from '../../infra/constructs/upload-endpoint';
import { DISABLED_CONTROL_TOWER_RULES, PROJECT_ROOT } from '../../infra/reporting-app';
import { DATA, ENV, INGEST_TRIGGERS, METRICS_NAMESPACE } from '../../infra/storage-layout';
import { type PluginReport, resourcesOf, type Synthesized, synthesize } from './synth';
import {
  flatten,
  logicalIdOf,
  type State,
  type StateMachineDefinition,
  stateMachineDefinition,
} from './template-helpers';

let synth: Synthesized;
const child = <T>(path: string) => synth.stack.node.findChild(path) as T;

const FUNCTIONS = [
  'Ingest',
  'Plan',
  'RenderProject',
  'Finish',
  'Deliver',
  'Remind',
  'Transmission',
  'Feedback',
] as const;
/** The functions that send mail (each with the configuration set whose bounces reach the ledger). */
const SENDERS = ['Ingest', 'Deliver', 'Remind', 'Transmission'] as const;
const fnId = (name: (typeof FUNCTIONS)[number]) => logicalIdOf(synth.stack, child<ReportFunction>(name).fn);
const bucketId = (name: 'Data' | 'Archive' | 'AccessLogs') =>
  logicalIdOf(synth.stack, child<DataBucket | ArchiveBucket | AccessLogBucket>(name).bucket);
/** A resource's properties, shaped as the test expects to read them. */
const propsOf = <T>(logicalId: string) => (synth.json.Resources[logicalId]?.Properties ?? {}) as T;

interface BucketProps {
  BucketEncryption: {
    ServerSideEncryptionConfiguration: {
      BucketKeyEnabled?: boolean;
      ServerSideEncryptionByDefault: { SSEAlgorithm: string; KMSMasterKeyID: { 'Fn::GetAtt': [string, string] } };
    }[];
  };
  LifecycleConfiguration: { Rules: Record<string, unknown>[] };
}

interface NotificationProps {
  BucketName: unknown;
  NotificationConfiguration: {
    LambdaFunctionConfigurations: {
      Events: string[];
      LambdaFunctionArn: unknown;
      Filter: { Key: { FilterRules: { Name: string; Value: string }[] } };
    }[];
  };
}

interface ScheduleProps {
  ScheduleExpression: string;
  ScheduleExpressionTimezone: string;
  FlexibleTimeWindow: unknown;
  Target: {
    Arn: unknown;
    Input: string;
    DeadLetterConfig: unknown;
    RetryPolicy: { MaximumRetryAttempts: number; MaximumEventAgeInSeconds: number };
  };
}

interface FunctionProps {
  Runtime: string;
  Architectures: string[];
  Handler: string;
  MemorySize: number;
  Timeout: number;
  ReservedConcurrentExecutions?: number;
  TracingConfig: unknown;
  LoggingConfig: { LogFormat: string; ApplicationLogLevel: string; LogGroup: { Ref: string } };
  Environment: { Variables: Record<string, unknown> };
}

interface AlarmProps {
  MetricName: string;
  Namespace: string;
  Dimensions: { Name: string; Value: unknown }[];
  AlarmActions: unknown[];
  OKActions: unknown[];
}

beforeAll(() => {
  synth = synthesize();
});

describe('storage', () => {
  it('locks every archived report for 10 years in GOVERNANCE mode and keeps the bucket on stack deletion', () => {
    const [props, resource] = [
      synth.json.Resources[bucketId('Archive')]?.Properties,
      synth.json.Resources[bucketId('Archive')],
    ];
    expect(props).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Years: 10 } },
      },
    });
    expect(resource).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('keeps the data bucket and the access logs on stack deletion too', () => {
    for (const name of ['Data', 'AccessLogs'] as const) {
      expect(synth.json.Resources[bucketId(name)]).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    }
  });

  it('denies bypassing governance retention to every principal', () => {
    synth.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId('Archive') },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:BypassGovernanceRetention' }),
        ]),
      },
    });
  });

  it('encrypts data and archive with their own customer managed keys, rotated, with S3 bucket keys', () => {
    const keys = new Set<string>();
    for (const name of ['Data', 'Archive'] as const) {
      const sse = propsOf<BucketProps>(bucketId(name)).BucketEncryption.ServerSideEncryptionConfiguration[0]!;
      expect(sse.ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');
      expect(sse.BucketKeyEnabled).toBe(true);
      const keyId = sse.ServerSideEncryptionByDefault.KMSMasterKeyID['Fn::GetAtt'][0] as string;
      expect(synth.json.Resources[keyId]).toMatchObject({
        Type: 'AWS::KMS::Key',
        Properties: { EnableKeyRotation: true },
      });
      keys.add(keyId);
    }
    expect(keys.size).toBe(2);
  });

  it('versions every bucket and blocks all public access', () => {
    const buckets = resourcesOf(synth.json, 'AWS::S3::Bucket');
    expect(buckets).toHaveLength(3);
    for (const [, props] of buckets) {
      expect(props.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(props.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
  });

  it('serves every bucket over TLS 1.2+ only', () => {
    const policies = resourcesOf(synth.json, 'AWS::S3::BucketPolicy');
    expect(policies.map(([, p]) => flatten(p.Bucket)).sort()).toEqual(
      [bucketId('AccessLogs'), bucketId('Archive'), bucketId('Data')].map((b) => `<${b}>`).sort(),
    );
    for (const [, p] of policies) {
      const statements = (p.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement;
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
      );
    }
  });

  it('logs every request to data and archive (auditors’ downloads included) into the separate log bucket', () => {
    for (const [name, prefix] of [
      ['Data', 'data/'],
      ['Archive', 'archive/'],
    ] as const) {
      expect(synth.json.Resources[bucketId(name)]?.Properties?.LoggingConfiguration).toMatchObject({
        DestinationBucketName: { Ref: bucketId('AccessLogs') },
        LogFilePrefix: prefix,
      });
    }
    // S3 delivers access logs only to SSE-S3 buckets.
    synth.template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: Match.anyValue() })]) },
    });
  });

  it('aborts incomplete multipart uploads', () => {
    for (const name of ['Data', 'Archive', 'AccessLogs'] as const) {
      const rules = propsOf<BucketProps>(bucketId(name)).LifecycleConfiguration.Rules;
      expect(rules).toContainEqual(
        expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }),
      );
    }
  });
});

describe('upload trigger', () => {
  const filters = () => {
    const [[id]] = resourcesOf(synth.json, 'Custom::S3BucketNotifications') as [[string, unknown]];
    const props = propsOf<NotificationProps>(id);
    expect(props.BucketName).toEqual({ Ref: bucketId('Data') });
    return props.NotificationConfiguration.LambdaFunctionConfigurations.map((c) => {
      const rules = Object.fromEntries(c.Filter.Key.FilterRules.map((r) => [r.Name, r.Value]));
      return {
        events: c.Events,
        target: flatten(c.LambdaFunctionArn),
        prefix: rules.prefix ?? '',
        suffix: rules.suffix ?? '',
      };
    });
  };

  it('starts ingest for every object under inbox/ and registry/, whatever its name (each gets an answer)', () => {
    expect(filters()).toEqual(
      ['inbox/', 'registry/'].map((prefix) => ({
        events: ['s3:ObjectCreated:*'],
        target: `<${fnId('Ingest')}.Arn>`,
        prefix,
        suffix: '',
      })),
    );
  });

  it('is never triggered by what ingest writes', () => {
    const outputs = [
      DATA.submissions,
      DATA.rejections,
      DATA.ingested,
      DATA.registryVersions,
      DATA.deliveries,
      DATA.pending,
    ];
    for (const { prefix } of filters()) {
      for (const out of outputs) {
        expect(out.prefix.startsWith(prefix) || prefix.startsWith(out.prefix)).toBe(false);
      }
    }
    expect(INGEST_TRIGGERS.prefixes).toEqual([DATA.inbox.prefix, DATA.registry.prefix]);
  });

  it('lets only this bucket in this account invoke ingest', () => {
    synth.template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [fnId('Ingest'), 'Arn'] },
      Principal: 's3.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [bucketId('Data'), 'Arn'] },
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
  });
});

describe('calendar', () => {
  const schedules = () => resourcesOf(synth.json, 'AWS::Scheduler::Schedule').map(([id]) => propsOf<ScheduleProps>(id));

  it('reminds on the 10th, generates on the 16th of Jan/Apr/Jul/Oct, looks for corrections daily and transmits on the 16th of Jan/Jul, in Riga time', () => {
    const byTarget = schedules().map((s) => ({
      expression: s.ScheduleExpression,
      timezone: s.ScheduleExpressionTimezone,
      target: flatten(s.Target.Arn),
      input: JSON.parse(s.Target.Input),
    }));
    expect(byTarget).toEqual([
      {
        expression: 'cron(0 6 10 1,4,7,10 ? *)',
        timezone: 'Europe/Riga',
        target: `<${fnId('Remind')}.Arn>`,
        input: {},
      },
      {
        expression: 'cron(0 6 16 1,4,7,10 ? *)',
        timezone: 'Europe/Riga',
        target: `<${logicalIdOf(synth.stack, child<GenerateWorkflow>('Generate').stateMachine)}>`,
        // No schedule backfills: more never-reported periods than the bound fail the execution instead.
        input: { mode: 'scheduled' },
      },
      {
        expression: 'cron(0 5 * * ? *)',
        timezone: 'Europe/Riga',
        target: `<${fnId('Ingest')}.Arn>`,
        input: { reexaminePending: true },
      },
      {
        expression: 'cron(0 7 * * ? *)',
        timezone: 'Europe/Riga',
        target: `<${logicalIdOf(synth.stack, child<GenerateWorkflow>('Generate').stateMachine)}>`,
        input: { mode: 'corrections' },
      },
      {
        // The Art. 42 transmission: the day after the Q4 and Q2 deadlines (31 December and 30 June cut-offs).
        expression: 'cron(0 6 16 1,7 ? *)',
        timezone: 'Europe/Riga',
        target: `<${fnId('Transmission')}.Arn>`,
        input: {},
      },
    ]);
  });

  it('retries every schedule target and sends what it gives up on to the schedule dead-letter queue', () => {
    const dlq = logicalIdOf(synth.stack, child<DeadLetterQueue>('ScheduleFailures').queue);
    for (const s of schedules()) {
      expect(s.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
      expect(s.Target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [dlq, 'Arn'] } });
      expect(s.Target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
      expect(s.Target.RetryPolicy.MaximumEventAgeInSeconds).toBeGreaterThanOrEqual(3600);
    }
  });
});

describe('generate workflow', () => {
  const definition = () => {
    const [[, props]] = resourcesOf(synth.json, 'AWS::StepFunctions::StateMachine') as [
      [string, Record<string, unknown>],
    ];
    return stateMachineDefinition(props);
  };

  it('plans, then renders every project in a bounded Map, finishes and delivers', () => {
    const d = definition();
    expect(d.StartAt).toBe('Begin');
    expect(d.States.Begin).toMatchObject({
      Type: 'Pass',
      Result: { count: 0, periods: [], summary: '' },
      ResultPath: '$.failures',
      Next: 'Plan',
    });
    expect(d.States.Plan).toMatchObject({
      Type: 'Task',
      Resource: `<${fnId('Plan')}.Arn>`,
      ResultPath: '$.planned',
      Next: 'Planned?',
    });
    expect(d.States.Plan?.Parameters).toBeUndefined(); // the whole state: the execution input
    expect(d.States['Planned?']).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.planned.status', StringEquals: 'planned', Next: 'CountProjects' }, expect.anything()],
      Default: 'NothingToDo',
    });
    expect(d.States.CountProjects).toMatchObject({
      Type: 'Pass',
      Parameters: { 'count.$': 'States.ArrayLength($.planned.plan.projectIds)' },
      ResultPath: '$.projects',
      Next: 'ManyProjects?',
    });
    expect(d.States['ManyProjects?']).toMatchObject({
      Type: 'Choice',
      Choices: [
        { Variable: '$.projects.count', NumericGreaterThanEquals: DISTRIBUTED_FROM, Next: 'RenderProjectsDistributed' },
      ],
      Default: 'RenderProjects',
    });
    const map = d.States.RenderProjects!;
    expect(map).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.planned.plan.projectIds',
      ItemSelector: { 'plan.$': '$.planned.plan', 'projectId.$': '$$.Map.Item.Value' },
      MaxConcurrency: 10,
      ResultPath: '$.rendered',
      Next: 'Finish',
    });
    expect(map.ItemProcessor?.States.RenderProject).toMatchObject({
      Type: 'Task',
      Resource: `<${fnId('RenderProject')}.Arn>`,
    });
    expect(d.States.Finish).toMatchObject({
      Resource: `<${fnId('Finish')}.Arn>`,
      Parameters: { 'plan.$': '$.planned.plan', 'rendered.$': '$.rendered', 'failures.$': '$.failures' },
      ResultPath: '$.finished',
      Next: 'Complete?',
    });
    expect(d.States['Complete?']).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.finished.status', StringEquals: 'complete', Next: 'Deliver' }],
      Default: 'RecordFailure',
    });
    expect(d.States.Deliver).toMatchObject({
      Resource: `<${fnId('Deliver')}.Arn>`,
      Parameters: { 'period.$': '$.planned.plan.period' },
      Next: 'MoreCorrections?',
    });
  });

  it(`renders ${DISTRIBUTED_FROM} projects or more in a Distributed Map of child executions, then finishes the same way`, () => {
    const d = definition();
    const map = d.States.RenderProjectsDistributed as State & {
      ItemProcessor: StateMachineDefinition & { ProcessorConfig: Record<string, string> };
    };
    expect(map).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.planned.plan.projectIds',
      ItemSelector: { 'plan.$': '$.planned.plan', 'projectId.$': '$$.Map.Item.Value' },
      MaxConcurrency: 10,
      ResultPath: '$.rendered',
      Next: 'Finish',
    });
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    expect(map.ItemProcessor.States.RenderProjectInChild).toMatchObject({
      Type: 'Task',
      Resource: `<${fnId('RenderProject')}.Arn>`,
    });
    // The inline Map stays far below the 25 000-event history limit (about 7 events per project) under the threshold.
    expect(DISTRIBUTED_FROM * 7).toBeLessThan(25_000 / 2);
  });

  it('is a valid Amazon States Language definition (asl-validator)', () => {
    // As deployed: CloudFormation resolves each function's ARN.
    const deployed = JSON.parse(
      JSON.stringify(definition()).replace(
        /<([A-Za-z0-9]+)\.Arn>/g,
        'arn:aws:lambda:eu-north-1:123456789012:function:$1',
      ),
    );
    expect(JSON.stringify(deployed)).not.toMatch(/<[^>]+>/);
    const result = aslValidator(deployed);
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
    // Control: the validator does reject a broken definition.
    expect(aslValidator({ StartAt: 'Missing', States: {} }).isValid).toBe(false);
  });

  it('re-delivers an unchanged period (only to whom the ledger lacks) and loops a corrections run until nothing changed', () => {
    const d = definition();
    expect(d.States['Planned?']?.Choices?.[1]).toEqual({
      And: [
        { Variable: '$.planned.status', StringEquals: 'unchanged' },
        { Variable: '$.planned.period', IsPresent: true },
      ],
      Next: 'DeliverUnchanged',
    });
    expect(d.States.DeliverUnchanged).toMatchObject({
      Parameters: { 'period.$': '$.planned.period' },
      Next: 'AnyFailures?',
    });
    expect(d.States['MoreCorrections?']).toEqual({
      Type: 'Choice',
      Choices: [
        {
          Or: [
            {
              And: [
                { Variable: '$.mode', IsPresent: true },
                { Variable: '$.mode', StringEquals: 'corrections' },
              ],
            },
            {
              And: [
                { Variable: '$.backfill', IsPresent: true },
                { Variable: '$.backfill', BooleanEquals: true },
              ],
            },
          ],
          Next: 'Plan',
        },
      ],
      Default: 'AnyFailures?',
    });
    expect(d.TimeoutSeconds).toBe(7200);
  });

  it('passes a backfill input to the plan step, loops it like a corrections run, and fails an execution that holds periods', () => {
    const d = definition();
    // The plan step gets the whole state, so an execution input of { "backfill": true } reaches the handler as is.
    expect(d.States.Plan?.Parameters).toBeUndefined();
    expect(d.States.Plan?.ResultPath).toBe('$.planned');
    expect(d.States.NothingToDo).toMatchObject({ Type: 'Pass', Next: 'AnyFailures?' });
    expect(d.States['AnyFailures?']).toEqual({
      Type: 'Choice',
      Choices: [
        { Variable: '$.failures.count', NumericGreaterThan: 0, Next: 'PeriodsFailed' },
        { Variable: '$.planned.held', IsPresent: true, Next: 'BackfillHeld' },
      ],
      Default: 'Delivered',
    });
    expect(d.States.BackfillHeld).toEqual({ Type: 'Fail', Error: 'BackfillHeld', CausePath: '$.planned.held.summary' });
    expect(d.States.PeriodsFailed).toEqual({
      Type: 'Fail',
      Error: 'ProjectRenderFailed',
      CausePath: '$.failures.summary',
    });
  });

  it('isolates every project in both Maps: a failed render is caught in its item and the period is not delivered', () => {
    const d = definition();
    const processors = {
      '': d.States.RenderProjects?.ItemProcessor,
      InChild: d.States.RenderProjectsDistributed?.ItemProcessor,
    };
    for (const [suffix, processor] of Object.entries(processors)) {
      const task = processor?.States[`RenderProject${suffix}`];
      expect(task?.Catch).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: `ProjectFailed${suffix}` },
      ]);
      expect(task?.Next).toBe(`ProjectRendered${suffix}`);
      // The catch comes after the retries: a transient error is still retried first.
      expect(task?.Retry?.length).toBeGreaterThan(0);
      expect(processor?.States[`ProjectFailed${suffix}`]).toEqual({
        Type: 'Pass',
        Parameters: { 'projectId.$': '$.projectId', 'error.$': '$.failure.Error', 'cause.$': '$.failure.Cause' },
        End: true,
      });
      expect(processor?.States[`ProjectRendered${suffix}`]).toEqual({ Type: 'Pass', Result: {}, End: true });
    }
    // A period with a failed project is recorded, not delivered, and the loop goes on to the other periods.
    expect(d.States.RecordFailure).toMatchObject({
      Type: 'Pass',
      InputPath: '$.finished.failures',
      ResultPath: '$.failures',
      Next: 'MoreCorrections?',
    });
  });

  it('retries every task on Lambda service errors and throttling, with backoff', () => {
    const d = definition();
    const tasks = [
      ...Object.values(d.States),
      ...Object.values(d.States.RenderProjects?.ItemProcessor?.States ?? {}),
    ].filter((s) => s.Type === 'Task');
    expect(tasks).toHaveLength(5);
    for (const task of tasks) {
      const errors = task.Retry?.flatMap((r) => r.ErrorEquals) ?? [];
      expect(errors).toEqual(
        expect.arrayContaining(['Lambda.ServiceException', 'Lambda.TooManyRequestsException', 'States.TaskFailed']),
      );
      // A bad input is not retried; everything else is, with backoff.
      expect(task.Retry?.find((r) => r.ErrorEquals.includes('BadEventError'))?.MaxAttempts).toBe(0);
      for (const r of task.Retry ?? []) if (r.MaxAttempts !== 0) expect(r.BackoffRate).toBeGreaterThan(1);
    }
  });

  it('does not retry an integrity fault: every task fails at once on IntegrityError and its subclasses', () => {
    const d = definition();
    const tasks = [
      ...Object.values(d.States),
      ...Object.values(d.States.RenderProjects?.ItemProcessor?.States ?? {}),
    ].filter((s) => s.Type === 'Task');
    const names = [
      new IntegrityError('plan and archive disagree').name,
      new ReportIntegrityError('reports/x.pdf', '2025-Q3', 1, 'is missing').name,
    ];
    expect(new Set(names).size).toBe(2);
    // Every subclass declared under functions/ is covered too, not only the two known today.
    const declared = readdirSync(join(PROJECT_ROOT, 'functions'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => [
        ...readFileSync(join(PROJECT_ROOT, 'functions', f), 'utf8').matchAll(/class (\w+) extends IntegrityError\b/g),
      ])
      .map((m) => m[1]!);
    expect(declared).toContain('ReportIntegrityError');
    names.push(...declared);
    for (const task of tasks) {
      const retriers = task.Retry ?? [];
      const catchAll = retriers.findIndex((r) => r.ErrorEquals.includes('States.TaskFailed'));
      for (const name of names) {
        const at = retriers.findIndex((r) => r.ErrorEquals.includes(name));
        expect(retriers[at]?.MaxAttempts, name).toBe(0);
        // Retriers are tried in order: one after the States.TaskFailed catch-all would never be reached.
        expect(at, name).toBeLessThan(catchAll);
      }
    }
  });

  it('logs everything to a log group with retention and traces with X-Ray', () => {
    const workflow = child<GenerateWorkflow>('Generate');
    synth.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: true,
        Destinations: [
          {
            CloudWatchLogsLogGroup: {
              LogGroupArn: { 'Fn::GetAtt': [logicalIdOf(synth.stack, workflow.logGroup), 'Arn'] },
            },
          },
        ],
      },
    });
    expect(synth.json.Resources[logicalIdOf(synth.stack, workflow.logGroup)]?.Properties).toMatchObject({
      RetentionInDays: 365,
    });
  });
});

describe('functions', () => {
  const props = (name: (typeof FUNCTIONS)[number]) => propsOf<FunctionProps>(fnId(name));

  it('run Node 24 on ARM64 with active tracing, JSON logs and their own log group with retention', () => {
    for (const name of FUNCTIONS) {
      const p = props(name);
      expect(p.Runtime).toBe('nodejs24.x');
      expect(p.Architectures).toEqual(['arm64']);
      expect(p.TracingConfig).toEqual({ Mode: 'Active' });
      expect(p.LoggingConfig).toMatchObject({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO' });
      const logGroup = p.LoggingConfig.LogGroup.Ref;
      expect(synth.json.Resources[logGroup]).toMatchObject({
        Type: 'AWS::Logs::LogGroup',
        Properties: { RetentionInDays: 365 },
      });
    }
  });

  it('run the handler exports of the contract', () => {
    const expected = {
      Ingest: HANDLERS.ingest,
      Plan: HANDLERS.plan,
      RenderProject: HANDLERS.renderProject,
      Finish: HANDLERS.finish,
      Deliver: HANDLERS.deliver,
      Remind: HANDLERS.remind,
      Transmission: HANDLERS.transmission,
      Feedback: HANDLERS.feedback,
    };
    for (const name of FUNCTIONS) expect(props(name).Handler).toBe(`index.${expected[name].exportName}`);
  });

  it('get the buckets, the sender and the Powertools settings in their environment', () => {
    for (const name of FUNCTIONS) {
      expect(props(name).Environment.Variables).toMatchObject({
        [ENV.dataBucket]: { Ref: bucketId('Data') },
        [ENV.archiveBucket]: { Ref: bucketId('Archive') },
        [ENV.mailFrom]: 'reports@example.invalid',
        [ENV.serviceName]: 'pmif-reports',
        [ENV.metricsNamespace]: 'PmifReports',
        [ENV.logLevel]: 'INFO',
      });
    }
  });

  it('size memory for the work: 1 GB to render, a reserved concurrency for ingest', () => {
    expect(props('RenderProject').MemorySize).toBe(1024);
    expect(props('Ingest').ReservedConcurrentExecutions).toBe(10);
    for (const name of FUNCTIONS) expect(props(name).Timeout).toBeGreaterThanOrEqual(60);
  });

  it('send asynchronous events they fail on to their dead-letter queues after two retries', () => {
    for (const [fn, queue] of [
      ['Ingest', 'IngestFailures'],
      ['Remind', 'RemindFailures'],
      ['Transmission', 'TransmissionFailures'],
      ['Feedback', 'FeedbackFailures'],
    ] as const) {
      synth.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: fnId(fn) },
        MaximumRetryAttempts: 2,
        DestinationConfig: {
          OnFailure: {
            Destination: { 'Fn::GetAtt': [logicalIdOf(synth.stack, child<DeadLetterQueue>(queue).queue), 'Arn'] },
          },
        },
      });
    }
  });
});

describe('queues and alarms', () => {
  const topic = () => logicalIdOf(synth.stack, child<OperatorAlarms>('Alarms').topic);

  it('encrypts every dead-letter queue and refuses plain HTTP', () => {
    const queues = resourcesOf(synth.json, 'AWS::SQS::Queue');
    // Ingest, remind, transmission, mail feedback and the schedules.
    expect(queues).toHaveLength(5);
    for (const [queueId, p] of queues) {
      expect(p.SqsManagedSseEnabled).toBe(true);
      expect(p.MessageRetentionPeriod).toBe(14 * 24 * 3600);
      synth.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('publishes alarms to a KMS-encrypted, TLS-only topic', () => {
    const props = synth.json.Resources[topic()]?.Properties as Record<string, unknown>;
    expect(props.KmsMasterKeyId).toBeDefined();
    synth.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topic() }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('lets CloudWatch alarms of this account, and nothing else, publish to the topic', () => {
    const policies = resourcesOf(synth.json, 'AWS::SNS::TopicPolicy').filter(
      ([, p]) => JSON.stringify(p.Topics) === JSON.stringify([{ Ref: topic() }]),
    );
    expect(policies).toHaveLength(1);
    const policy = policies[0]![1];
    const statements = (policy.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement;
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: { Ref: topic() },
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
    const condition = allows[0]?.Condition as { ArnLike: Record<string, unknown> } | undefined;
    expect(flatten(condition?.ArnLike['aws:SourceArn'])).toBe(
      'arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:*',
    );
    // The encrypted topic: CloudWatch may use its key too, for this account only.
    const keyId = flatten(propsOf<{ KmsMasterKeyId: unknown }>(topic()).KmsMasterKeyId).replace(/^<|\.Arn>$/g, '');
    const keyPolicy = propsOf<{ KeyPolicy: { Statement: Record<string, unknown>[] } }>(keyId).KeyPolicy;
    expect(keyPolicy.Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    );
  });

  it('alarms on every function error, failed or timed-out execution and dead letter, to the topic', () => {
    const alarms = resourcesOf(synth.json, 'AWS::CloudWatch::Alarm').map(([id]) => propsOf<AlarmProps>(id));
    for (const a of alarms) {
      expect(a.AlarmActions).toEqual([{ Ref: topic() }]);
      expect(a.OKActions).toEqual([{ Ref: topic() }]);
      expect(a).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1 });
    }
    const watched = alarms.map(
      (a) =>
        `${a.MetricName} ${a.Dimensions.map((d) => `${d.Name === 'service' ? 'service=' : ''}${flatten(d.Value)}`).join(',')}`,
    );
    const stateMachine = logicalIdOf(synth.stack, child<GenerateWorkflow>('Generate').stateMachine);
    expect(watched.sort()).toEqual(
      [
        ...FUNCTIONS.map((f) => `Errors <${fnId(f)}>`),
        `Errors <${logicalIdOf(synth.stack, child<UploadEndpoint>('Uploads').function.fn)}>`,
        `ExecutionsFailed <${stateMachine}>`,
        `ExecutionsTimedOut <${stateMachine}>`,
        ...(
          ['IngestFailures', 'RemindFailures', 'TransmissionFailures', 'FeedbackFailures', 'ScheduleFailures'] as const
        ).map(
          (q) =>
            `ApproximateNumberOfMessagesVisible <${logicalIdOf(synth.stack, child<DeadLetterQueue>(q).queue)}.QueueName>`,
        ),
        // Mail that did not reach its recipient, from every job that sends mail; failed uploads; refused registries.
        ...['ingest', 'deliver', 'remind', 'transmission'].flatMap((job) => [
          `DeliveriesGaveUp service=${job}`,
          `DeliveriesInDoubt service=${job}`,
        ]),
        // Sent mail that bounced or was marked as spam, as the configuration set reports it.
        'DeliveriesBounced service=feedback',
        'DeliveriesComplained service=feedback',
        'IngestFailures service=ingest',
        'RegistryRejected service=ingest',
        'ReportIntegrityFailed service=deliver',
      ].sort(),
    );
    for (const a of alarms.filter((a) => a.Dimensions.some((d) => d.Name === 'service'))) {
      expect(a.Namespace).toBe(METRICS_NAMESPACE);
    }
  });
});

describe('bounces and complaints', () => {
  const feedback = () => child<MailFeedback>('MailFeedback');
  const configurationSet = () => logicalIdOf(synth.stack, feedback().configurationSet as never);
  const feedbackTopic = () => logicalIdOf(synth.stack, feedback().topic);

  it('creates a configuration set under a generated name (a re-created stack cannot collide with it)', () => {
    const sets = resourcesOf(synth.json, 'AWS::SES::ConfigurationSet');
    expect(sets.map(([id]) => id)).toEqual([configurationSet()]);
    expect(sets[0]![1].Name).toBeUndefined();
  });

  it('publishes the set’s bounce and complaint events, and only those, to an encrypted, TLS-only topic', () => {
    const destinations = resourcesOf(synth.json, 'AWS::SES::ConfigurationSetEventDestination');
    expect(destinations).toHaveLength(1);
    expect(destinations[0]![1]).toMatchObject({
      ConfigurationSetName: { Ref: configurationSet() },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['bounce', 'complaint'],
        SnsDestination: { TopicARN: { Ref: feedbackTopic() } },
      },
    });
    expect(propsOf<{ KmsMasterKeyId?: unknown }>(feedbackTopic()).KmsMasterKeyId).toBeDefined();
    const [[, policy]] = resourcesOf(synth.json, 'AWS::SNS::TopicPolicy').filter(
      ([, p]) => JSON.stringify(p.Topics) === JSON.stringify([{ Ref: feedbackTopic() }]),
    ) as [[string, { PolicyDocument: { Statement: Record<string, unknown>[] } }]];
    const statements = policy.PolicyDocument.Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({ Principal: { Service: 'ses.amazonaws.com' }, Action: 'sns:Publish' });
    const conditions = (allows[0] as { Condition: { StringEquals: Record<string, unknown> } }).Condition.StringEquals;
    expect(flatten(conditions['AWS:SourceAccount'])).toBe('<AWS::AccountId>');
    expect(flatten(conditions['AWS:SourceArn'])).toBe(
      `arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:configuration-set/<${configurationSet()}>`,
    );
    // SES encrypts what it publishes: the topic's key lets SES of this account use it.
    const keyId = flatten(propsOf<{ KmsMasterKeyId: unknown }>(feedbackTopic()).KmsMasterKeyId).replace(
      /^<|\.Arn>$/g,
      '',
    );
    expect(propsOf<{ KeyPolicy: { Statement: unknown[] } }>(keyId).KeyPolicy.Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'ses.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    );
  });

  it('hands every event on the topic to the feedback function, and lets only that topic invoke it', () => {
    synth.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: feedbackTopic() },
      Endpoint: { 'Fn::GetAtt': [fnId('Feedback'), 'Arn'] },
    });
    synth.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [fnId('Feedback'), 'Arn'] },
      Principal: 'sns.amazonaws.com',
      SourceArn: { Ref: feedbackTopic() },
    });
  });

  it('sends every mail with the configuration set, which the send grant names; other functions get none', () => {
    for (const name of FUNCTIONS) {
      const variables = propsOf<FunctionProps>(fnId(name)).Environment.Variables;
      if ((SENDERS as readonly string[]).includes(name)) {
        expect(variables[ENV.sesConfigurationSet]).toEqual({ Ref: configurationSet() });
      } else {
        expect(variables[ENV.sesConfigurationSet]).toBeUndefined();
      }
    }
    const sendGrants = resourcesOf(synth.json, 'AWS::IAM::Policy')
      .flatMap(([, p]) => (p.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement)
      .filter((s) => JSON.stringify(s.Action).includes('ses:SendRawEmail'));
    expect(sendGrants).toHaveLength(SENDERS.length);
    for (const grant of sendGrants) {
      expect((grant.Resource as unknown[]).map(flatten).sort()).toEqual(
        [
          'arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/*',
          `arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:configuration-set/<${configurationSet()}>`,
        ].sort(),
      );
    }
  });
});

describe('deleting and re-creating the stack', () => {
  /**
   * Properties that give a resource its physical name (a generic rule: any `…Name` property but display and metric
   * names, plus the few types named by another property). A kept resource named so would make a re-created stack
   * fail on it.
   */
  const NAMING = /^(?!Display|Metric|Alarm|Policy)\w*Name$/;
  const NAMED_BY: Record<string, string> = { 'AWS::SES::EmailIdentity': 'EmailIdentity' };
  const physicalNames = (type: string, p: Record<string, unknown>) =>
    Object.entries(p).filter(([k]) => NAMING.test(k) || NAMED_BY[type] === k);

  it('records no CloudTrail trail unless pmif:archiveTrail asks for one (archive-trail.test.ts)', () => {
    expect(resourcesOf(synth.json, 'AWS::CloudTrail::Trail')).toEqual([]);
  });

  it('keeps no resource under a name a re-created stack would reuse', () => {
    const kept = Object.entries(synth.json.Resources).filter(
      ([, r]) => (r as { DeletionPolicy?: string }).DeletionPolicy === 'Retain',
    );
    expect(kept.length).toBeGreaterThan(5);
    const clashes = kept.flatMap(([id, r]) =>
      physicalNames(r.Type, r.Properties ?? {})
        // A name derived from the stack's id (a UUID per creation) is new every time.
        .filter(([, v]) => !JSON.stringify(v).includes('AWS::StackId'))
        .map(([k, v]) => `${id} (${r.Type}) ${k}=${flatten(v)}`),
    );
    expect(clashes).toEqual([]);
  });

  it('the rule catches a kept log group with a fixed name (control)', () => {
    const app = new App();
    const stack = new Stack(app, 'Control');
    new logs.LogGroup(stack, 'Fixed', { logGroupName: '/aws/vendedlogs/states/fixed' });
    const json = app.synth().getStackByName('Control').template as Synthesized['json'];
    const [r] = Object.values(json.Resources) as ({
      DeletionPolicy?: string;
    } & Synthesized['json']['Resources'][string])[];
    expect(r?.DeletionPolicy).toBe('Retain');
    expect(physicalNames(r?.Type ?? '', r?.Properties ?? {}).map(([k]) => k)).toEqual(['LogGroupName']);
  });

  it('names the state machine log group under /aws/vendedlogs/ with the stack id in it', () => {
    const workflow = child<GenerateWorkflow>('Generate');
    const name = propsOf<{ LogGroupName: unknown }>(logicalIdOf(synth.stack, workflow.logGroup)).LogGroupName;
    expect(JSON.stringify(name)).toContain('AWS::StackId');
    expect(JSON.stringify(name)).toContain('/aws/vendedlogs/states/');
  });

  it('encrypts every log group with the log key and keeps them a year by default', () => {
    const groups = resourcesOf(synth.json, 'AWS::Logs::LogGroup');
    // One per function (the seven jobs, the mail feedback and the upload endpoint) and the state machine's.
    expect(groups).toHaveLength(10);
    const keys = new Set(groups.map(([, p]) => flatten(p.KmsKeyId)));
    expect(keys.size).toBe(1);
    for (const [, p] of groups) expect(p.RetentionInDays).toBe(365);
    const keyId = [...keys][0]!.replace(/^<|\.Arn>$/g, '');
    expect(synth.json.Resources[keyId]).toMatchObject({ Type: 'AWS::KMS::Key', DeletionPolicy: 'Retain' });
    expect(propsOf<{ EnableKeyRotation: boolean }>(keyId).EnableKeyRotation).toBe(true);
  });
});

describe('cdk-nag', () => {
  const awsSolutions = (reports: PluginReport[]) => reports.find((r) => r.pluginName === 'AwsSolutions');

  it('reads findings from the validation report (control: a bare bucket has some)', () => {
    const app = new App({
      outdir: mkdtempSync(join(tmpdir(), 'pmif-nag-')),
      context: { '@aws-cdk/core:failSynthOnValidationErrors': false },
    });
    new s3.Bucket(new Stack(app, 'Control'), 'Bare');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const dir = app.synth().directory;
    const reports = JSON.parse(readFileSync(join(dir, 'validation-report.json'), 'utf8'))
      .pluginReports as PluginReport[];
    expect(awsSolutions(reports)?.violations.map((v) => v.ruleName)).toEqual(
      expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']),
    );
  });

  it('has no unacknowledged AwsSolutions findings', () => {
    const violations = awsSolutions(synth.reports)?.violations ?? [];
    expect(
      violations.map((v) => `${v.ruleName} at ${v.violatingConstructs.map((c) => c.constructPath).join(', ')}`),
    ).toEqual([]);
  });

  it('passes every other validation of the synth (CloudFormation template checks, annotations)', () => {
    const others = synth.reports
      .flatMap((r) => r.violations.map((v) => `${r.pluginName}: ${v.ruleName}`))
      // Expected with the default context: no SES identity given (variants.test.ts checks it goes with one).
      .filter((v) => v !== 'Construct Annotations: Annotation::pmif:sesIdentity');
    expect(others).toEqual([]);
  });

  it('runs the Control Tower proactive controls (control: a bare bucket and queue fail some)', () => {
    const app = new App({
      outdir: mkdtempSync(join(tmpdir(), 'pmif-guard-')),
      context: { '@aws-cdk/core:failSynthOnValidationErrors': false },
    });
    const stack = new Stack(app, 'Control');
    new s3.Bucket(stack, 'Bare');
    new kms.Key(stack, 'Key');
    Validations.of(app).addPlugins(new CfnGuardValidator({ controlTowerRulesEnabled: true }));
    const reports = JSON.parse(readFileSync(join(app.synth().directory, 'validation-report.json'), 'utf8'))
      .pluginReports as PluginReport[];
    const guard = reports.find((r) => r.pluginName === 'cdk-validator-cfnguard');
    expect(guard?.violations.map((v) => v.ruleName)).toEqual(
      expect.arrayContaining(['kms_create_grant_aws_service_check', 's3_bucket_default_encryption_kms_check']),
    );
  });

  it('has no Control Tower findings beyond the rules disabled with a reason, each a rule the plugin ships', () => {
    const guard = synth.reports.find((r) => r.pluginName === 'cdk-validator-cfnguard');
    expect(guard?.violations ?? []).toEqual([]);
    const shipped = readdirSync(
      join(PROJECT_ROOT, 'node_modules/@cdklabs/cdk-validator-cfnguard/rules/control-tower/cfn-guard'),
      { recursive: true, encoding: 'utf8' },
    ).map((f) => basename(f, '.guard'));
    for (const [rule, reason] of Object.entries(DISABLED_CONTROL_TOWER_RULES)) {
      expect(shipped, rule).toContain(rule);
      expect(reason.length, rule).toBeGreaterThan(80);
    }
  });

  it('lets only AWS services create grants on any of the keys (CT.KMS.PR.3)', () => {
    const keys = resourcesOf(synth.json, 'AWS::KMS::Key');
    expect(keys.length).toBeGreaterThanOrEqual(4);
    for (const [, p] of keys) {
      expect((p.KeyPolicy as { Statement: unknown[] }).Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 'kms:CreateGrant',
          Principal: { AWS: '*' },
          Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
        }),
      );
    }
  });

  it('acknowledges each finding by its exact id, with a reason', () => {
    const acknowledgements = synth.stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.entries(m.data as Record<string, string>));
    expect(acknowledgements.length).toBeGreaterThan(10);
    for (const [ruleId, reason] of acknowledgements) {
      expect(ruleId).toMatch(/^(Annotation::)?AwsSolutions-[A-Z]+\d+(\[(Resource|Action|Policy)::.+\])?$/i);
      if (ruleId.includes('IAM5')) expect(ruleId).toMatch(/\[(Resource|Action)::/);
      expect(reason.length).toBeGreaterThan(40);
    }
  });
});
