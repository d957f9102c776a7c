import { join } from 'node:path';
import { type Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type HandlerEntry, nodejsBundling } from '../bundling';
import type { LogLevel } from '../config';

/**
 * The Lambda runtime of every function: the newest Node.js aws-cdk-lib offers. The bundles target it
 * (infra/bundling.ts) and the bundled-flow test runs them on this Node major.
 */
export const RUNTIME = lambda.Runtime.NODEJS_24_X;

/** Properties of {@link ReportFunction}. */
export interface ReportFunctionProps {
  /** The handler file and export (from `HANDLERS` in infra/bundling.ts). */
  readonly handler: HandlerEntry;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: Record<string, string>;
  readonly logRetention: logs.RetentionDays;
  /** Encrypts the log group. */
  readonly logKey: kms.IKey;
  readonly logLevel: LogLevel;
  /** Repository root: where package-lock.json and the handler paths are. */
  readonly projectRoot: string;
  /** Deploy a placeholder instead of the bundle (assertion tests; nothing that runs). */
  readonly skipBundling: boolean;
  readonly reservedConcurrentExecutions?: number;
  /**
   * For functions invoked asynchronously (S3 notifications, EventBridge Scheduler): where an event goes after the
   * retries, with the error that stopped it.
   */
  readonly onFailure?: sqs.IQueue;
}

/**
 * One of the product's Lambda functions, with the defaults they all share: Node 24 on ARM64, an ESM bundle, an own
 * log group with retention and JSON logs, X-Ray tracing, and an own role that starts with nothing but writing its
 * logs (no AWSLambdaBasicExecutionRole, which would allow creating any log group).
 */
export class ReportFunction extends Construct {
  readonly fn: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ReportFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      encryptionKey: props.logKey,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description} (Lambda execution role)`,
    });
    this.logGroup.grantWrite(this.role);

    const common: lambda.FunctionOptions = {
      description: props.description,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      // Same level as Powertools' LOG_LEVEL: Powertools warns when Lambda would drop lines it writes.
      applicationLogLevelV2: lambda.ApplicationLogLevel[props.logLevel],
      systemLogLevelV2: lambda.SystemLogLevel.INFO,
      tracing: lambda.Tracing.ACTIVE,
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      ...(props.reservedConcurrentExecutions !== undefined
        ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions }
        : {}),
      ...(props.onFailure ? { onFailure: new SqsDestination(props.onFailure), retryAttempts: 2 } : {}),
    };

    if (props.skipBundling) {
      this.fn = new lambda.Function(this, 'Function', {
        ...common,
        runtime: RUNTIME,
        handler: `index.${props.handler.exportName}`,
        code: lambda.Code.fromInline(
          `exports.${props.handler.exportName} = async () => { throw new Error('placeholder: synthesized with pmif:skipBundling'); };`,
        ),
      });
    } else {
      this.fn = new nodejs.NodejsFunction(this, 'Function', {
        ...common,
        runtime: RUNTIME,
        entry: join(props.projectRoot, props.handler.entry),
        handler: props.handler.exportName,
        projectRoot: props.projectRoot,
        depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
        bundling: nodejsBundling(props.handler),
      });
    }

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions.',
    });
  }
}
