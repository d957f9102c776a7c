/**
 * The coordinators' door (docs/architecture.md §2, upload links): the drop page and its endpoint, one Lambda behind a Function URL,
 * so page and API share one origin. The endpoint checks a link's token (HMAC keys in Secrets Manager) and hands the
 * page a presigned POST for one key under `inbox/<project>/`; the browser then uploads straight to the data bucket.
 *
 * The CORS cycle: the bucket must allow the page's origin, and the page's origin (the Function URL) only exists once
 * the function does, whose role names the bucket. The CORS rule therefore allows the Function URL domain pattern of
 * the stack's region (`https://*.lambda-url.<region>.on.aws`) instead of the URL itself: no reference, no cycle.
 * The pattern admits other Function URLs' pages too, which costs nothing: CORS only lets a page read S3's answer,
 * and an upload still needs a POST policy signed by this endpoint for one exact key.
 */
import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { HANDLERS } from '../bundling';
import { ARCHIVE, DATA, ENV } from '../storage-layout';
import { grantBucketAccess } from './bucket-access';
import { ReportFunction, type ReportFunctionProps } from './report-function';

/** Properties of {@link UploadEndpoint}. */
export interface UploadEndpointProps {
  /** The settings every function shares (environment, logs, bundling). */
  readonly shared: Omit<ReportFunctionProps, 'handler' | 'description' | 'memorySize' | 'timeout'>;
  /** The data bucket (the inbox) and its key. */
  readonly data: { bucket: s3.Bucket; key: kms.IKey };
  /**
   * The archive bucket and its key: download links and revision pages (issue 18) read `reports/` there (the
   * manifest for the page; the presigned GETs are signed with this role, so it must be allowed to read the reports).
   */
  readonly archive: { bucket: s3.IBucket; key: kms.IKey };
  /** The archive's retention in years: how long auditors' revision-page links live. */
  readonly retentionYears: number;
  /**
   * Throttle: at most this many requests at once (reserved concurrency); beyond it the Function URL answers 429.
   * A page makes a handful of small requests per upload, so a few are plenty for a programme's coordinators.
   */
  readonly maxConcurrency?: number;
}

export const UPLOAD_ENDPOINT_CONCURRENCY = 5;

export class UploadEndpoint extends Construct {
  readonly function: ReportFunction;
  readonly url: lambda.FunctionUrl;
  /** The link-signing key: its AWSCURRENT version signs, AWSPREVIOUS still verifies (see the README's rotation). */
  readonly linkKeys: secretsmanager.Secret;
  private readonly retentionYears: number;

  constructor(scope: Construct, id: string, props: UploadEndpointProps) {
    super(scope, id);
    this.linkKeys = new secretsmanager.Secret(this, 'LinkKeys', {
      description:
        'pmif-reports: HMAC key that signs coordinators\u2019 upload links (AWSCURRENT signs, AWSPREVIOUS verifies)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      // Deleting the stack ends every link; keeping the secret would keep links alive with no endpoint to use them.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.linkKeys).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotation is an operator step (put-secret-value; the README says when): a scheduled rotation would need a rotation Lambda to do the same, and links must outlive one rotation, which AWSPREVIOUS gives either way.',
    });

    this.function = new ReportFunction(this, 'Endpoint', {
      ...props.shared,
      environment: { ...props.shared.environment, [ENV.linkKeySecret]: this.linkKeys.secretArn },
      handler: HANDLERS.upload,
      description:
        'pmif-reports upload: the drop page, link checks, presigned POSTs into inbox/, verdicts; download links and revision pages',
      memorySize: 512,
      // Pages wait for these answers: a slow S3 or Secrets Manager call should fail fast, not hang the page.
      timeout: Duration.seconds(15),
      reservedConcurrentExecutions: props.maxConcurrency ?? UPLOAD_ENDPOINT_CONCURRENCY,
    });
    this.linkKeys.grantRead(this.function.role);
    grantBucketAccess(this.function.role, 'The upload endpoint', {
      ...props.data,
      // The verdict: its upload's ingest receipt and record; the registry for project names and deadlines.
      read: [DATA.ingested, DATA.submissions, DATA.rejections, DATA.registryVersions],
      // Presigned POSTs are signed with this role: it must be allowed to create the keys it hands out.
      write: [DATA.inbox],
      list: true,
    });
    // Reports and manifests only: never the archive's transmissions, nor anything written (Object Lock or not).
    grantBucketAccess(this.function.role, 'The upload endpoint', { ...props.archive, read: [ARCHIVE.reports] });
    this.retentionYears = props.retentionYears;

    this.url = this.function.fn.addFunctionUrl({
      // Coordinators have no AWS identity: the signed token in the link is the authorisation, checked in the handler.
      authType: lambda.FunctionUrlAuthType.NONE,
      invokeMode: lambda.InvokeMode.BUFFERED,
    });

    props.data.bucket.addCorsRule({
      allowedMethods: [s3.HttpMethods.POST],
      allowedOrigins: [`https://*.lambda-url.${Aws.REGION}.on.aws`],
      allowedHeaders: ['*'],
      maxAge: 600,
    });
  }

  /**
   * Let a mailing function put links into its e-mails: the page's URL, read access to the signing key, and the
   * archive's retention (auditors' revision links live that long).
   */
  grantLinks(mailer: ReportFunction): void {
    this.linkKeys.grantRead(mailer.role);
    mailer.fn.addEnvironment(ENV.linkKeySecret, this.linkKeys.secretArn);
    mailer.fn.addEnvironment(ENV.uploadPageUrl, this.url.url);
    mailer.fn.addEnvironment(ENV.archiveRetentionYears, String(this.retentionYears));
  }
}
