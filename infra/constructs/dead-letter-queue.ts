import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Properties of {@link DeadLetterQueue}. */
export interface DeadLetterQueueProps {
  /** What ends up here, for the acknowledgement and the operator ("failed ingest events"). */
  readonly purpose: string;
}

/**
 * Where failed events wait for an operator: encrypted (SSE-SQS: no key policy to get wrong for the Lambda and
 * Scheduler services that write here), TLS-only, kept for the SQS maximum of 14 days. An alarm fires as soon as one
 * message is visible.
 */
export class DeadLetterQueue extends Construct {
  readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself a dead-letter destination (${props.purpose}); nothing consumes it automatically, so a further dead-letter queue would never receive anything.`,
    });
  }
}
