/**
 * The whole product on AWS, wiring only: each concern is a construct in `infra/constructs/`. See docs/deploy.md for
 * a picture of what this creates.
 */
import { Aspects, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type { Construct } from 'constructs';
import { HANDLERS } from './bundling';
import type { ReportingConfig } from './config';
import { AccessLogBucket } from './constructs/access-log-bucket';
import { ArchiveBucket } from './constructs/archive-bucket';
import { ArchiveHoldRole } from './constructs/archive-hold-role';
import { ArchiveTrail } from './constructs/archive-trail';
import { type BucketAccess, grantBucketAccess } from './constructs/bucket-access';
import { CoordinatorUploadRole } from './constructs/coordinator-upload-role';
import { DataBucket } from './constructs/data-bucket';
import { DeadLetterQueue } from './constructs/dead-letter-queue';
import { GenerateWorkflow } from './constructs/generate-workflow';
import { KeyGrantsForAwsServicesOnly } from './constructs/key-grants';
import { LogKey } from './constructs/log-key';
import { MailFeedback } from './constructs/mail-feedback';
import { MailIdentity } from './constructs/mail-identity';
import { acknowledgeNotificationsHandler } from './constructs/notifications-handler';
import { OperatorAlarms } from './constructs/operator-alarms';
import { PurgeRole } from './constructs/purge-role';
import { AuditorReadRole, ManagerReadRole } from './constructs/reader-roles';
import { ReportFunction, type ReportFunctionProps } from './constructs/report-function';
import { ReportingSchedule } from './constructs/reporting-schedule';
import { UploadEndpoint } from './constructs/upload-endpoint';
import { reportingCalendar } from './reporting-calendar';
import {
  ALARMED_METRICS,
  ARCHIVE,
  DATA,
  ENV,
  INGEST_TRIGGERS,
  METRICS_NAMESPACE,
  SERVICE_NAME,
} from './storage-layout';

/** Properties of {@link ReportingStack}. */
export interface ReportingStackProps extends StackProps {
  /** Validated settings (infra/config.ts). */
  readonly config: ReportingConfig;
  /** Repository root, where the handlers and package-lock.json are. */
  readonly projectRoot: string;
}

/** Local hour (Europe/Riga) of the reminder and generation runs. */
const RUN_HOUR = 6;
/**
 * The daily corrections run is an hour later than generation, so that on the day after the deadline the two do not
 * start the same revision side by side (harmless, as every step is idempotent, but twice the work).
 */
const CORRECTIONS_HOUR = 7;

/** The report functions, by the construct id each has in the stack. */
type Functions = ReturnType<ReportingStack['reportFunctions']>;
/** Where failed events wait. */
type FailureQueues = ReturnType<ReportingStack['failureQueues']>;
/** Buckets, mail identity, log key, alarms. */
type Storage = ReturnType<ReportingStack['storage']>;

export class ReportingStack extends Stack {
  constructor(scope: Construct, id: string, props: ReportingStackProps) {
    super(scope, id, props);
    const { config } = props;
    Tags.of(this).add('application', SERVICE_NAME);
    Aspects.of(this).add(new KeyGrantsForAwsServicesOnly());

    const store = this.storage(config);
    const queues = this.failureQueues();
    const shared = sharedFunctionProps(config, props.projectRoot, store);
    const fns = this.reportFunctions(config, shared, queues);
    const feedback = this.mailFeedback(config, fns);
    grantFunctions(fns, store, feedback.configurationSetArn);
    const uploads = this.uploadEndpoint(config, shared, store, fns);
    const workflow = new GenerateWorkflow(this, 'Generate', {
      plan: fns.plan.fn,
      renderProject: fns.renderProject.fn,
      finish: fns.finish.fn,
      deliver: fns.deliver.fn,
      maxConcurrency: config.mapConcurrency,
      logRetention: config.logRetention,
      logKey: store.logKey.key,
    });
    this.schedules(config, fns, workflow, queues);
    watchOver(store.alarms, fns, uploads, workflow, queues);
    this.people(config, store);
    this.outputs(config, store, uploads, workflow);
  }

  /** Buckets, the mail identity, the log key and the operators' alarm topic. */
  private storage(config: ReportingConfig) {
    // Logs of who read or changed the archive are kept as long as the reports they speak of, and a month more.
    const recordRetention = Duration.days(Math.ceil(config.retentionYears * 365.25) + 31);
    const accessLogs = new AccessLogBucket(this, 'AccessLogs', { retention: recordRetention });
    const data = new DataBucket(this, 'Data', { accessLogs: accessLogs.bucket });
    const archive = new ArchiveBucket(this, 'Archive', {
      accessLogs: accessLogs.bucket,
      retentionMode: config.retentionMode,
      retentionYears: config.retentionYears,
    });
    const mail = new MailIdentity(this, 'Mail', { identity: config.sesIdentity, mailFrom: config.mailFrom });
    const logKey = new LogKey(this, 'LogKey');
    if (config.archiveTrail) {
      new ArchiveTrail(this, 'ArchiveTrail', {
        archive: archive.bucket,
        accessLogs: accessLogs.bucket,
        retention: recordRetention,
        logRetention: config.logRetention,
        logKey: logKey.key,
      });
    }
    const alarms = new OperatorAlarms(this, 'Alarms', config.alarmEmail ? { email: config.alarmEmail } : {});

    return { accessLogs, data, archive, mail, logKey, alarms };
  }

  /** Where failed events wait. */
  private failureQueues() {
    const ingestFailures = new DeadLetterQueue(this, 'IngestFailures', {
      purpose: 'upload events the ingest function failed on after its retries',
    });
    const remindFailures = new DeadLetterQueue(this, 'RemindFailures', {
      purpose: 'reminder runs the remind function failed on after its retries',
    });
    const transmissionFailures = new DeadLetterQueue(this, 'TransmissionFailures', {
      purpose: 'Art. 42 transmission runs the transmission function failed on after its retries',
    });
    const feedbackFailures = new DeadLetterQueue(this, 'FeedbackFailures', {
      purpose: 'bounce and complaint notifications the feedback function failed on after its retries',
    });
    const scheduleFailures = new DeadLetterQueue(this, 'ScheduleFailures', {
      purpose: 'scheduled runs EventBridge Scheduler could not start',
    });

    return { ingestFailures, remindFailures, transmissionFailures, feedbackFailures, scheduleFailures };
  }

  /** One function per job, each with its own memory, timeout and (for asynchronous events) failure queue. */
  private reportFunctions(config: ReportingConfig, shared: SharedFunctionProps, queues: FailureQueues) {
    const { ingestFailures, remindFailures, transmissionFailures, feedbackFailures } = queues;
    const ingest = new ReportFunction(this, 'Ingest', {
      ...shared,
      handler: HANDLERS.ingest,
      description: 'pmif-reports ingest: validate an uploaded workbook, store it normalised or reject it, reply',
      // exceljs holds the workbook and its parsed rows; the upload guard caps both.
      memorySize: 1024,
      timeout: Duration.minutes(2),
      // A burst of uploads (the deadline day, a script) cannot take the account's whole concurrency from the
      // other functions; throttled S3 events are retried by Lambda for up to six hours.
      ...(config.ingestReservedConcurrency !== undefined
        ? { reservedConcurrentExecutions: config.ingestReservedConcurrency }
        : {}),
      onFailure: ingestFailures.queue,
    });
    const plan = new ReportFunction(this, 'Plan', {
      ...shared,
      handler: HANDLERS.plan,
      description: 'pmif-reports generate/plan: fix the revision of a period and the sources it is built from',
      memorySize: 512,
      timeout: Duration.minutes(5),
    });
    const renderProject = new ReportFunction(this, 'RenderProject', {
      ...shared,
      handler: HANDLERS.renderProject,
      description: "pmif-reports generate/render: one project's report, PDF and XLSX",
      // pdfkit with embedded fonts and exceljs for one project's report.
      memorySize: 1024,
      timeout: Duration.minutes(2),
    });
    const finish = new ReportFunction(this, 'Finish', {
      ...shared,
      handler: HANDLERS.finish,
      description: 'pmif-reports generate/finish: programme summary, then the manifest',
      // Builds every project's model for the programme summary.
      memorySize: 1024,
      timeout: Duration.minutes(5),
    });
    const deliver = new ReportFunction(this, 'Deliver', {
      ...shared,
      handler: HANDLERS.deliver,
      description: 'pmif-reports deliver: e-mail the latest revision to the managers, once each',
      // Holds the programme attachments and every project's model while sending.
      memorySize: 1024,
      timeout: Duration.minutes(5),
    });
    const remind = new ReportFunction(this, 'Remind', {
      ...shared,
      handler: HANDLERS.remind,
      description: 'pmif-reports remind: remind coordinators who have not submitted before the deadline',
      memorySize: 512,
      timeout: Duration.minutes(2),
      onFailure: remindFailures.queue,
    });

    const transmission = new ReportFunction(this, 'Transmission', {
      ...shared,
      handler: HANDLERS.transmission,
      description:
        'pmif-reports transmission: the Art. 42 data transmission of the latest due cut-off, archived and mailed',
      // Builds every project's cumulative figures and renders both XLSX editions.
      memorySize: 1024,
      timeout: Duration.minutes(5),
      onFailure: transmissionFailures.queue,
    });

    // Records SES bounces and complaints in the mail ledger (see mailFeedback).
    const feedback = new ReportFunction(this, 'Feedback', {
      ...shared,
      handler: HANDLERS.feedback,
      description: 'pmif-reports feedback: record SES bounces and complaints in the mail ledger',
      memorySize: 256,
      timeout: Duration.minutes(1),
      onFailure: feedbackFailures.queue,
    });

    return { ingest, plan, renderProject, finish, deliver, remind, transmission, feedback };
  }

  /**
   * Bounces and complaints: every mail goes out with the configuration set (the senders' SES_CONFIGURATION_SET),
   * whose events reach the ledger through the feedback function.
   */
  private mailFeedback(config: ReportingConfig, fns: Functions) {
    const feedback = new MailFeedback(this, 'MailFeedback', {
      handler: fns.feedback.fn,
      ...(config.sesConfigurationSet ? { existingConfigurationSet: config.sesConfigurationSet } : {}),
    });
    for (const sender of [fns.ingest, fns.deliver, fns.remind, fns.transmission]) {
      sender.fn.addEnvironment(ENV.sesConfigurationSet, feedback.configurationSet.configurationSetName);
    }
    return feedback;
  }

  /** The coordinators' drop page and its endpoint, and the S3 notifications that start ingest. */
  private uploadEndpoint(config: ReportingConfig, shared: SharedFunctionProps, store: Storage, fns: Functions) {
    const { data, archive } = store;
    const { ingest, remind, deliver } = fns;
    // The coordinators' drop page and endpoint; every reminder and receipt carries a signed upload link to it.
    const uploads = new UploadEndpoint(this, 'Uploads', {
      shared,
      data,
      archive,
      retentionYears: config.retentionYears,
    });
    // Deliver links the reports it does not attach and the revision page (issue 18), on the same endpoint.
    for (const mailer of [ingest, remind, deliver]) uploads.grantLinks(mailer);

    // Uploads start ingest; ingest's own outputs live under other prefixes and never do. Direct S3 notifications
    // rather than EventBridge: S3 filters on prefix and suffix itself, the event reaches Lambda within seconds (the
    // receipt is due within a minute), Lambda's retries and on-failure queue catch what fails, and there is no bus
    // or rule to pay for or secure; nothing else needs the upload events.
    // No suffix filter: every object under the prefixes is answered, what ingest cannot take with a refusal.
    for (const prefix of INGEST_TRIGGERS.prefixes) {
      data.bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(ingest.fn), { prefix });
    }
    acknowledgeNotificationsHandler(this);

    return uploads;
  }

  /** Reminders, generation, re-examination of pending uploads, corrections and the Art. 42 transmission. */
  private schedules(config: ReportingConfig, fns: Functions, workflow: GenerateWorkflow, queues: FailureQueues) {
    const { ingest, remind, transmission } = fns;
    const { scheduleFailures } = queues;
    const calendar = reportingCalendar(config.deadlineDays, config.reminderDays);
    // The group holds only the schedules, which the stack re-creates; its generated name would be reused by a stack
    // re-created under the same name, so it goes with the stack rather than being kept.
    const group = new scheduler.ScheduleGroup(this, 'Schedules', { removalPolicy: RemovalPolicy.DESTROY });
    new ReportingSchedule(this, 'RemindSchedule', {
      days: calendar.remind,
      hour: RUN_HOUR,
      description: `Remind coordinators ${config.reminderDays} days before the deadline (quarter end + ${config.deadlineDays} days)`,
      target: { function: remind.fn },
      input: {},
      group,
      deadLetterQueue: scheduleFailures.queue,
    });
    new ReportingSchedule(this, 'GenerateSchedule', {
      days: calendar.generate,
      hour: RUN_HOUR,
      description: `Generate and deliver the reports the day after the deadline (quarter end + ${config.deadlineDays} days)`,
      target: { stateMachine: workflow.stateMachine },
      input: { mode: 'scheduled' },
      group,
      deadLetterQueue: scheduleFailures.queue,
    });
    // Pending uploads whose period began today are decided before the day's runs (a registry upload re-examines too).
    new ReportingSchedule(this, 'PendingSchedule', {
      days: 'daily',
      hour: RUN_HOUR - 1,
      description: 'Re-examine uploads waiting for their period to begin or for a registry change',
      target: { function: ingest.fn },
      input: { reexaminePending: true },
      group,
      deadLetterQueue: scheduleFailures.queue,
    });
    new ReportingSchedule(this, 'CorrectionsSchedule', {
      days: 'daily',
      hour: CORRECTIONS_HOUR,
      description: 'Issue a corrected revision if accepted uploads changed since the last one',
      target: { stateMachine: workflow.stateMachine },
      input: { mode: 'corrections' },
      group,
      deadLetterQueue: scheduleFailures.queue,
    });

    new ReportingSchedule(this, 'TransmissionSchedule', {
      days: calendar.transmission,
      hour: RUN_HOUR,
      description: `Produce and mail the Art. 42 transmission the day after the Q4 and Q2 deadlines (quarter end + ${config.deadlineDays} days)`,
      target: { function: transmission.fn },
      input: {},
      group,
      deadLetterQueue: scheduleFailures.queue,
    });
  }

  /** The roles people assume: coordinators (one per project), managers, auditors, legal hold, purge. */
  private people(config: ReportingConfig, store: Storage) {
    const { data, archive } = store;
    const principal = (arn: string | undefined): iam.IPrincipal =>
      arn === undefined
        ? new iam.AccountRootPrincipal()
        : /^\d{12}$/.test(arn)
          ? new iam.AccountPrincipal(arn)
          : new iam.ArnPrincipal(arn);
    for (const projectId of config.coordinatorProjects) {
      new CoordinatorUploadRole(this, `Coordinator-${projectId}`, {
        projectId,
        ...data,
        assumedBy: principal(config.coordinatorPrincipal),
      });
    }
    new ManagerReadRole(this, 'Managers', { archive, assumedBy: principal(config.managerPrincipal) });
    new AuditorReadRole(this, 'Auditors', { archive, data, assumedBy: principal(config.auditorPrincipal) });
    new ArchiveHoldRole(this, 'ArchiveHold', { archive, data, assumedBy: principal(config.auditorPrincipal) });
    // The account's own administrators decide which operator may assume it (no principal of its own to configure).
    new PurgeRole(this, 'Purge', { data, assumedBy: new iam.AccountRootPrincipal() });
  }

  private outputs(config: ReportingConfig, store: Storage, uploads: UploadEndpoint, workflow: GenerateWorkflow) {
    const { data, archive, alarms } = store;
    const outputs: [id: string, value: string, description: string][] = [
      [
        'LinkKeySecretArn',
        uploads.linkKeys.secretArn,
        'Signs upload links: put-secret-value rotates (old value stays valid as AWSPREVIOUS); see README',
      ],
      [
        'UploadPageUrl',
        uploads.url.url,
        'The drop page (Function URL): coordinators reach it through the signed links in their e-mails',
      ],
      ['DataBucketName', data.bucket.bucketName, 'Uploads go to inbox/<projectId>/ and registry/'],
      ['ArchiveBucketName', archive.bucket.bucketName, 'Reports (Object Lock)'],
      [
        'StateMachineArn',
        workflow.stateMachine.stateMachineArn,
        'Start with {"period":"2025-Q3"} to regenerate a period',
      ],
      ['AlarmTopicArn', alarms.topic.topicArn, 'Subscribe more operators here'],
      ['MailFrom', config.mailFrom, 'Sender address (inside the SES identity)'],
    ];
    for (const [id, value, description] of outputs) new CfnOutput(this, id, { value, description });
  }
}

type SharedFunctionProps = Omit<ReportFunctionProps, 'handler' | 'description' | 'memorySize' | 'timeout'>;

/** What every report function shares: the environment it reads (aws/config.ts), logging, bundling. */
function sharedFunctionProps(config: ReportingConfig, projectRoot: string, store: Storage): SharedFunctionProps {
  const { data, archive, logKey } = store;
  return {
    environment: {
      [ENV.dataBucket]: data.bucket.bucketName,
      [ENV.archiveBucket]: archive.bucket.bucketName,
      [ENV.mailFrom]: config.mailFrom,
      [ENV.serviceName]: SERVICE_NAME,
      [ENV.metricsNamespace]: METRICS_NAMESPACE,
      [ENV.logLevel]: config.logLevel,
    },
    logRetention: config.logRetention,
    logKey: logKey.key,
    logLevel: config.logLevel,
    projectRoot,
    skipBundling: config.skipBundling,
  };
}

/** Each role gets exactly its prefixes; the senders may send mail, with the configuration set. */
function grantFunctions(fns: Functions, store: Storage, configurationSetArn: string): void {
  const { data, archive, mail } = store;
  const { ingest, plan, renderProject, finish, deliver, remind, transmission, feedback } = fns;
  // Least privilege: each role is given exactly its prefixes; nothing may delete or touch retention.
  grantBucketAccess(ingest.role, 'The ingest function', {
    ...data,
    // deliveries/: the receipt ledger (one acceptance or rejection e-mail per uploaded version).
    // pending/: uploads waiting for a registry change or their period (written, read back, re-examined).
    read: [DATA.inbox, DATA.registry, DATA.ingested, DATA.registryVersions, DATA.deliveries, DATA.pending],
    write: [DATA.submissions, DATA.rejections, DATA.ingested, DATA.registryVersions, DATA.deliveries, DATA.pending],
    // The event names the exact version uploaded; a later upload to the same key must not be read in its place.
    readVersions: true,
    list: true,
  });
  for (const [step, fn] of [
    ['plan', plan],
    ['render', renderProject],
    ['finish', finish],
  ] as const) {
    const finishing = step === 'finish';
    grantBucketAccess(fn.role, `The generate ${step} function`, {
      ...data,
      // finish copies the exact upload versions (and registry workbooks) a revision used into the archive.
      ...(finishing
        ? { read: [DATA.registryVersions, DATA.submissions, DATA.inbox, DATA.registry], readVersions: true }
        : { read: [DATA.registryVersions, DATA.submissions] }),
      list: true,
    });
    // finish also archives the revision's inputs and code, content-addressed under blobs/, and extends the
    // retention of a blob it reuses to the revision's (read from the revision's report; HEAD of a blob is a read).
    grantBucketAccess(fn.role, `The generate ${step} function`, {
      ...archive,
      read: finishing ? [ARCHIVE.reports, ARCHIVE.blobs] : [ARCHIVE.reports],
      write: finishing ? [ARCHIVE.reports, ARCHIVE.blobs] : [ARCHIVE.reports],
      ...(finishing ? { readRetention: [ARCHIVE.reports, ARCHIVE.blobs], extendRetention: [ARCHIVE.blobs] } : {}),
      list: true,
    });
  }
  // The senders read the registry's versions and the submissions, and keep their mail ledger.
  const senderData: BucketAccess = {
    ...data,
    read: [DATA.registryVersions, DATA.submissions, DATA.deliveries],
    write: [DATA.deliveries],
    list: true,
  };
  grantBucketAccess(deliver.role, 'The deliver function', senderData);
  grantBucketAccess(deliver.role, 'The deliver function', { ...archive, read: [ARCHIVE.reports], list: true });
  grantBucketAccess(remind.role, 'The remind function', senderData);
  // Transmissions: registry and submissions in, both editions, plan and manifest out (create-only, Object Lock),
  // read back to compare figures and to attach; the ledger makes each manager's e-mail go out once. Like finish, it
  // archives the exact upload versions and registry workbooks it used, and its code, under blobs/, extending the
  // retention of a blob it reuses to the transmission's (read from its plan).
  grantBucketAccess(transmission.role, 'The transmission function', senderData);
  grantBucketAccess(transmission.role, 'The transmission function', {
    ...data,
    read: [DATA.inbox, DATA.registry],
    readVersions: true,
  });
  grantBucketAccess(transmission.role, 'The transmission function', {
    ...archive,
    read: [ARCHIVE.transmissions, ARCHIVE.blobs],
    write: [ARCHIVE.transmissions, ARCHIVE.blobs],
    readRetention: [ARCHIVE.transmissions, ARCHIVE.blobs],
    extendRetention: [ARCHIVE.blobs],
    list: true,
  });
  grantBucketAccess(feedback.role, 'The feedback function', {
    ...data,
    read: [DATA.deliveries],
    write: [DATA.deliveries],
    list: true,
  });
  for (const sender of [ingest, deliver, remind, transmission]) mail.grantSend(sender.role, configurationSetArn);
}

/** An alarm on every function's errors, the state machine's failures, every failure queue and the job metrics. */
function watchOver(
  alarms: OperatorAlarms,
  fns: Functions,
  uploads: UploadEndpoint,
  workflow: GenerateWorkflow,
  queues: FailureQueues,
): void {
  const functions = {
    Ingest: fns.ingest,
    Plan: fns.plan,
    RenderProject: fns.renderProject,
    Finish: fns.finish,
    Deliver: fns.deliver,
    Remind: fns.remind,
    Transmission: fns.transmission,
    Upload: uploads.function,
    Feedback: fns.feedback,
  };
  for (const [name, f] of Object.entries(functions)) alarms.onFunctionErrors(name, f.fn);
  alarms.onStateMachineFailures('Generate', workflow.stateMachine);
  alarms.onDeadLetters('IngestFailures', queues.ingestFailures.queue);
  alarms.onDeadLetters('RemindFailures', queues.remindFailures.queue);
  alarms.onDeadLetters('TransmissionFailures', queues.transmissionFailures.queue);
  alarms.onDeadLetters('FeedbackFailures', queues.feedbackFailures.queue);
  alarms.onDeadLetters('ScheduleFailures', queues.scheduleFailures.queue);
  // What succeeds as far as Lambda is concerned but still needs a person: an e-mail that did not reach its
  // recipient, an upload that failed or a registry that was refused.
  for (const metric of Object.values(ALARMED_METRICS)) {
    for (const service of metric.services) alarms.onJobMetric(metric.name, service, metric.description);
  }
}
