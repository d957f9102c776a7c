/**
 * Builds the app from its context: settings read and validated once, one stack, the cdk-nag AwsSolutions checks.
 * Shared by `infra/app.ts` (the CDK CLI's entry) and the tests.
 */
import { join } from 'node:path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readConfig } from './config';
import { ReportingStack } from './reporting-stack';

/** The repository root (this file is in infra/). */
export const PROJECT_ROOT = join(import.meta.dirname, '..');

/**
 * Control Tower proactive controls (cfn-guard) that do not apply to this stack, by rule file (`ct-s3-pr-2` is
 * control CT.S3.PR.2). The plugin can only disable a rule for the whole app, so each one is listed here with the
 * reason it does not apply; test/infra/stack.test.ts checks that each still names a rule the plugin ships.
 */
export const DISABLED_CONTROL_TOWER_RULES: Record<string, string> = {
  // lambda_inside_vpc_check
  'ct-lambda-pr-3':
    'The functions reach only S3, SES and CloudWatch, all public AWS endpoints over TLS with IAM authorisation; there is no private resource to reach, and a VPC would add NAT gateways or five interface endpoints (about $40 a month per AZ) for nothing.',
  // lambda_function_public_access_prohibited_check
  'ct-lambda-pr-2':
    "Flags only the upload endpoint's Function URL permission (principal *): coordinators have no AWS identity, so the drop page is public by design. Each request is authorised in the handler by the link's HMAC-signed token (project, period, expiry), uploads go through a presigned POST for one key, and reserved concurrency throttles it.",
  // lambda_function_url_auth_check
  'ct-lambda-pr-5':
    "The upload endpoint's Function URL has AuthType NONE for the same reason: the signed link is the authorisation (an IAM-authorised URL would need the AWS credentials coordinators do not have). No other function has a URL.",
  // s3_bucket_default_encryption_kms_check
  'ct-s3-pr-10':
    'Flags only the access-log bucket: S3 server access logs can be delivered only to a bucket with SSE-S3, not SSE-KMS. The data and archive buckets use their own KMS keys (asserted in test/infra/stack.test.ts).',
  // s3_bucket_logging_enabled_check
  'ct-s3-pr-2':
    'Flags only the access-log bucket itself: logging its requests into itself would log every log delivery, and logging them elsewhere needs yet another bucket. Data and archive log to it (asserted in test/infra/stack.test.ts).',
  // s3_event_notifications_enabled_check
  'ct-s3-pr-4':
    "The data bucket's notifications (uploads start ingest) are set by aws-cdk-lib's notifications custom resource, which this rule cannot see in the template; the archive and the access logs have no consumer for events.",
  // s3_bucket_object_lock_enabled_check
  'ct-s3-pr-9':
    'Flags the data bucket (working records: the mail ledger and receipts are rewritten as their state changes, so they cannot be locked; uploads are kept by versioning and, with what each revision used, locked in the archive), the access-log bucket (expired by lifecycle) and, with pmif:archiveTrail, the trail bucket (CloudTrail log files: versioned, expired by lifecycle, and checked by CloudTrail digest files). The archive bucket has Object Lock.',
  // sqs_dlq_check
  'ct-sqs-pr-1':
    'The queues are themselves dead-letter queues (of ingest, remind, transmission, the mail feedback and the schedules); a dead-letter queue of a dead-letter queue would have no consumer either. Each is alarmed on its first message.',
};

export function buildReportingApp(app: App): ReportingStack {
  const config = readConfig((key) => app.node.tryGetContext(key));
  const stack = new ReportingStack(app, config.stackName, {
    config,
    projectRoot: PROJECT_ROOT,
    description: 'pmif-reports: quarterly AMIF/PMIF progress reports from coordinators’ workbooks',
  });
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app),
    new CfnGuardValidator({ controlTowerRulesEnabled: true, disabledRules: Object.keys(DISABLED_CONTROL_TOWER_RULES) }),
  );
  return stack;
}
